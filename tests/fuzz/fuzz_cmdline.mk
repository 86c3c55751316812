FUZZ_SRC_fuzz_cmdline := init/cmdline.c
