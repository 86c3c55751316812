FUZZ_SRC_fuzz_bootchart := init/bootchart.c init/bootchart_svg.c
