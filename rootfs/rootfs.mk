# Image: kernel + initramfs (docs/image.md), services/ bundles (docs/services.md),
# and the QEMU launcher rootfs/keelvm.py (rootfs/qemu-run is its front door).
#   make image                 build/image/{vmlinuz,initramfs.cpio.gz} + NAME.sqfs per system image
#   make run                   boot it, console here (ctrl-a x quits QEMU)
#   make run-batch             boot, wait for "keel: ready", power off; exit status = fate
# Variables: KEEL_APPEND="keel.debug=1" (kernel args), QEMU_OPTS="..." (QEMU options),
# KEEL_PORT=8080 (host 127.0.0.1 port forwarded to guest port 80), KEEL_DISK=build/data.img.
IMAGE_DIR  := $(BUILD)/image
KEEL_PORT  ?= 8080
KEEL_DISK  ?= $(BUILD)/data.img
IMAGE_DEPS := $(BIN)/init $(BIN)/runc-shim rootfs/mkimage.sh rootfs/modules.sh \
              rootfs/mksquash.sh rootfs/mkoci.py rootfs/mke2fs.sh rootfs/sysctl.conf $(shell find services -type f 2>/dev/null)

image: deps $(IMAGE_DIR)/initramfs.cpio.gz
$(IMAGE_DIR)/initramfs.cpio.gz: $(IMAGE_DEPS)
	sh rootfs/mkimage.sh

run: deps image
	rootfs/qemu-run --disk $(KEEL_DISK) --port $(KEEL_PORT)

run-batch: deps image
	rootfs/qemu-run --batch --disk $(KEEL_DISK) --port $(KEEL_PORT)
