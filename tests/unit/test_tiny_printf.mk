# tiny_printf.c is #included by the test under renamed symbols.
UNIT_SRC_test_tiny_printf :=
