#include "log.h"
int main(int argc, char **argv) { (void)argc; log_setup(argv[0], LOG_INFO, 2); return 0; }
