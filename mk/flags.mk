# Compiler and linker flags shared by every binary: static musl, small, strict.
CC        := musl-gcc
SYSROOT   := $(BUILD)/sysroot
KHDR      := $(BUILD)/khdr
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wswitch-enum -Wundef -Wpointer-arith -Wcast-align \
             -Wwrite-strings -Wvla -Wno-unused-parameter
CFLAGS    := -std=gnu11 -Os $(WARN) -ffunction-sections -fdata-sections \
             -fno-asynchronous-unwind-tables -fstack-protector-strong -D_GNU_SOURCE \
             -isystem $(SYSROOT)/include -isystem $(KHDR) -Ilib
# -z noseparate-code: no page padding between segments (~8 KB per static binary).
LDFLAGS   := -static -s -Wl,--gc-sections -Wl,-z,noseparate-code -L$(SYSROOT)/lib

# Host (glibc) build of the same sources for unit tests, fuzzing and ASan.
HOST_CC     := clang
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARN) -D_GNU_SOURCE -Ilib -fsanitize=address,undefined \
               -fno-omit-frame-pointer
