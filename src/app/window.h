/* window.h: the main window's size: how large it opens, and full screen
 * that works with or without a window manager.
 *
 * SDL's desktop full screen asks the window manager to resize the window
 * (EWMH's _NET_WM_STATE_FULLSCREEN). On an X server with no window manager
 * (Xvfb, a kiosk, a bare X session on a projector PC) nobody answers, yet
 * SDL 2.26 takes the display's size as the window's: the renderer draws a
 * 1920x1080 picture into a window that stays as it was, and most of the
 * picture is cut off. So where no window manager will do it, full screen
 * is done by moving and resizing the window to the display's bounds. */
#ifndef PW_APP_WINDOW_H
#define PW_APP_WINDOW_H

#include <SDL.h>
#include <stddef.h>

/* The first window's size for a display whose usable area is uw x uh: the
 * largest 16:9 size (a multiple of 16x9) inside 80% of it, at least
 * 1024x576 unless the area itself is smaller, when it is the largest
 * 16:9 size inside the whole area. */
void window_first_size(int uw, int uh, int *w, int *h);

/* Full screen state of one window. Zero it before the first use. */
struct window_fs {
	int on;                /* full screen now */
	int manual;            /* done by hand: moved and resized to the display */
	SDL_Rect saved;        /* the window's place before a manual full screen */
};

/* Puts win in full screen (on 1) or back (on 0), by SDL's desktop full
 * screen when a window manager will honour it, else by hand. Returns 0,
 * or -1 with SDL's error left in SDL_GetError (the state is unchanged). */
int window_set_fullscreen(struct window_fs *fs, SDL_Window *win, int on);

/* 1 when win is full screen: by hand, or as SDL's flags say (a window
 * manager may have taken it out of full screen on its own). */
int window_is_fullscreen(const struct window_fs *fs, SDL_Window *win);

/* One line on what the window is: SDL's size and position, the
 * renderer's output size, and on X11 the X window's real geometry, for
 * PW_DEBUG_WINDOW. */
void window_describe(SDL_Window *win, SDL_Renderer *ren, char *buf, size_t len);

#endif
