# Image: kernel + initramfs (see rootfs/README or docs/image.md).
image:
	@echo "image: not built yet"
run: deps all image
run-batch: deps all image
