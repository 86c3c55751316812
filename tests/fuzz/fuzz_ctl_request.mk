FUZZ_SRC_fuzz_ctl_request := init/ctl_cmds.c init/ctl_reply.c init/logbuf.c init/boottime.c init/inspect.c init/etc_file.c
