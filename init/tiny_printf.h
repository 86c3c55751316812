/* init's own printf core (tiny_printf.c): the standard snprintf, vsnprintf,
 * printf, fprintf and vfprintf, without floating point. */
#ifndef KEEL_INIT_TINY_PRINTF_H
#define KEEL_INIT_TINY_PRINTF_H

/* printf/fprintf output longer than this is truncated. */
#define TINY_PRINTF_MAX 4096

#endif
