/* window.c: the main window's first size and its full screen (window.h). */
#include <SDL.h>
#include <SDL_syswm.h>
#include <stdio.h>

#include "app/window.h"

/* libX11 comes with SDL's development files on Debian; without it the
 * window trusts SDL's full screen everywhere. */
#if defined(PW_HAVE_X11) && defined(SDL_VIDEO_DRIVER_X11)
#define WINDOW_X11 1
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#endif

void window_first_size(int uw, int uh, int *w, int *h)
{
	/* k is the size in units of 16x9 pixels; 64 is 1024x576. */
	int k = (uw * 8 / 10 / 16) < (uh * 8 / 10 / 9) ? uw * 8 / 10 / 16 : uh * 8 / 10 / 9;
	int whole = uw / 16 < uh / 9 ? uw / 16 : uh / 9;

	if (k < 64)
		k = whole < 64 ? whole : 64;
	if (k < 1)
		k = 1;
	*w = 16 * k;
	*h = 9 * k;
}

#ifdef WINDOW_X11
static int x11_error;

/* Errors are expected here (a window manager's check window may be gone);
 * Xlib's default handler would end the program on one. */
static int x11_catch(Display *d, XErrorEvent *e)
{
	(void)d;
	(void)e;
	x11_error = 1;
	return 0;
}

static Display *x11_display(SDL_Window *win, Window *xwin)
{
	SDL_SysWMinfo info;

	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(win, &info) || info.subsystem != SDL_SYSWM_X11)
		return NULL;
	if (xwin)
		*xwin = info.info.x11.window;
	return info.info.x11.display;
}

/* The window id in property prop of w, or 0. */
static Window x11_window_prop(Display *d, Window w, Atom prop)
{
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	Window v = 0;

	if (XGetWindowProperty(d, w, prop, 0, 1, False, XA_WINDOW, &type, &format, &n, &after, &data) == Success &&
	    data && type == XA_WINDOW && format == 32 && n == 1)
		v = (Window)((unsigned long *)data)[0]; /* format 32 arrives as longs */
	if (data)
		XFree(data);
	return v;
}

/*
 * 1 when a window manager runs that says it does full screen, as EWMH
 * has a client find out: the root's _NET_SUPPORTING_WM_CHECK names a
 * window whose own property names itself (a manager that quit leaves the
 * root's naming a dead window), and _NET_SUPPORTED lists
 * _NET_WM_STATE_FULLSCREEN.
 */
static int x11_wm_does_fullscreen(Display *d)
{
	Window root = DefaultRootWindow(d), wm;
	Atom check = XInternAtom(d, "_NET_SUPPORTING_WM_CHECK", False);
	Atom supported = XInternAtom(d, "_NET_SUPPORTED", False);
	Atom fs = XInternAtom(d, "_NET_WM_STATE_FULLSCREEN", False);
	int (*old)(Display *, XErrorEvent *);
	int yes = 0;

	XSync(d, False);
	x11_error = 0;
	old = XSetErrorHandler(x11_catch);
	wm = x11_window_prop(d, root, check);
	if (wm && x11_window_prop(d, wm, check) == wm && !x11_error) {
		Atom type;
		int format;
		unsigned long n, after;
		unsigned char *data = NULL;

		if (XGetWindowProperty(d, root, supported, 0, 4096, False, XA_ATOM, &type, &format, &n, &after, &data) ==
			    Success && data && type == XA_ATOM && format == 32)
			for (unsigned long i = 0; i < n && !yes; i++)
				yes = (Atom)((unsigned long *)data)[i] == fs;
		if (data)
			XFree(data);
	}
	XSync(d, False);
	XSetErrorHandler(old);
	return yes && !x11_error;
}
#endif

/* 1 when SDL's full screen can be trusted to resize the window. */
static int wm_does_fullscreen(SDL_Window *win)
{
#ifdef WINDOW_X11
	Display *d = x11_display(win, NULL);

	if (d)
		return x11_wm_does_fullscreen(d);
#endif
	(void)win;
	return 1; /* Wayland, Windows, macOS, KMS: the system does it */
}

int window_set_fullscreen(struct window_fs *fs, SDL_Window *win, int on)
{
	SDL_Rect b;

	if (!on) {
		if (fs->manual) {
			SDL_SetWindowSize(win, fs->saved.w, fs->saved.h);
			SDL_SetWindowPosition(win, fs->saved.x, fs->saved.y);
			fs->manual = 0;
		} else if (SDL_SetWindowFullscreen(win, 0)) {
			return -1;
		}
		fs->on = 0;
		return 0;
	}
	if (wm_does_fullscreen(win)) {
		if (SDL_SetWindowFullscreen(win, SDL_WINDOW_FULLSCREEN_DESKTOP))
			return -1;
		fs->on = 1;
		return 0;
	}
	/* No one to ask: cover the display the window is on ourselves. With
	 * no window manager there is no frame to take off. */
	if (SDL_GetDisplayBounds(SDL_GetWindowDisplayIndex(win), &b))
		return -1;
	SDL_GetWindowPosition(win, &fs->saved.x, &fs->saved.y);
	SDL_GetWindowSize(win, &fs->saved.w, &fs->saved.h);
	SDL_SetWindowPosition(win, b.x, b.y);
	SDL_SetWindowSize(win, b.w, b.h);
	SDL_RaiseWindow(win);
	fs->manual = 1;
	fs->on = 1;
	return 0;
}

int window_is_fullscreen(const struct window_fs *fs, SDL_Window *win)
{
	if (fs->manual)
		return 1;
	return (SDL_GetWindowFlags(win) & SDL_WINDOW_FULLSCREEN) != 0;
}

void window_describe(SDL_Window *win, SDL_Renderer *ren, char *buf, size_t len)
{
	int w = 0, h = 0, x = 0, y = 0, rw = 0, rh = 0, k;

	SDL_GetWindowSize(win, &w, &h);
	SDL_GetWindowPosition(win, &x, &y);
	if (ren)
		SDL_GetRendererOutputSize(ren, &rw, &rh);
	k = snprintf(buf, len, "SDL window %dx%d at %d,%d, renderer output %dx%d, %s", w, h, x, y, rw, rh,
		     SDL_GetWindowFlags(win) & SDL_WINDOW_FULLSCREEN ? "SDL full screen" : "not SDL full screen");
#ifdef WINDOW_X11
	{
		Window xw, child;
		Display *d = x11_display(win, &xw);
		XWindowAttributes a;
		int ax, ay;

		if (d && k >= 0 && (size_t)k < len && XGetWindowAttributes(d, xw, &a) &&
		    XTranslateCoordinates(d, xw, DefaultRootWindow(d), 0, 0, &ax, &ay, &child))
			snprintf(buf + k, len - (size_t)k, "; X window %dx%d at %d,%d; window manager full screen: %s",
				 a.width, a.height, ax, ay, x11_wm_does_fullscreen(d) ? "yes" : "no");
	}
#else
	(void)k;
#endif
}
