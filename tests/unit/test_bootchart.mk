UNIT_SRC_test_bootchart := init/bootchart.c init/bootchart_svg.c
