/* png.h: writing an RGBA image as a PNG file, compressed with zlib. */
#ifndef PW_VIEW_PNG_H
#define PW_VIEW_PNG_H

#include <stddef.h>
#include <stdint.h>

/* rgba: h rows of pitch bytes, each w pixels of 4 bytes R, G, B, A.
 * Returns 0, or -1 with a sentence naming path in err. */
int pw_png_write(const char *path, const uint8_t *rgba, int w, int h, int pitch, char *err, size_t errlen);

#endif
