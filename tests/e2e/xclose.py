#!/usr/bin/env python3
"""Closes the dxplan window the way the window manager does when a person clicks its close
button: a WM_DELETE_WINDOW client message to the window (ICCCM), which GTK turns into the
window's close request. WebDriver has no such command (its "close window" bypasses it), and
Xvfb runs no window manager. Stdlib only (ctypes over libX11).

Usage: DISPLAY=:99 python3 xclose.py [WM_CLASS]   (default: dxplan-app)
Exits 0 when a message was sent, 1 when no window of that class with a title was found.
"""
import ctypes
import ctypes.util
import sys

x = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
Window = ctypes.c_ulong
Atom = ctypes.c_ulong


class XClientMessageEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", Window),
        ("message_type", Atom),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessageEvent), ("pad", ctypes.c_long * 24)]


class XClassHint(ctypes.Structure):
    _fields_ = [("res_name", ctypes.c_char_p), ("res_class", ctypes.c_char_p)]


x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XDefaultRootWindow.restype = Window
x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x.XInternAtom.restype = Atom
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XQueryTree.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(Window), ctypes.POINTER(Window),
                         ctypes.POINTER(ctypes.POINTER(Window)), ctypes.POINTER(ctypes.c_uint)]
x.XGetClassHint.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(XClassHint)]
x.XGetWMProtocols.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(ctypes.POINTER(Atom)), ctypes.POINTER(ctypes.c_int)]
x.XSendEvent.argtypes = [ctypes.c_void_p, Window, ctypes.c_int, ctypes.c_long, ctypes.POINTER(XEvent)]
x.XFree.argtypes = [ctypes.c_void_p]
x.XFlush.argtypes = [ctypes.c_void_p]
x.XCloseDisplay.argtypes = [ctypes.c_void_p]


def children(dpy, w):
    root, parent = Window(), Window()
    kids = ctypes.POINTER(Window)()
    n = ctypes.c_uint()
    if not x.XQueryTree(dpy, w, ctypes.byref(root), ctypes.byref(parent), ctypes.byref(kids), ctypes.byref(n)):
        return []
    out = [kids[i] for i in range(n.value)]
    if kids:
        x.XFree(kids)
    return out


def wm_class(dpy, w):
    hint = XClassHint()
    if not x.XGetClassHint(dpy, w, ctypes.byref(hint)):
        return None
    name = hint.res_name.decode(errors="replace") if hint.res_name else ""
    return name


def takes_delete(dpy, w, delete):
    protos = ctypes.POINTER(Atom)()
    n = ctypes.c_int()
    if not x.XGetWMProtocols(dpy, w, ctypes.byref(protos), ctypes.byref(n)):
        return False
    ok = any(protos[i] == delete for i in range(n.value))
    x.XFree(protos)
    return ok


def main():
    want = sys.argv[1] if len(sys.argv) > 1 else "dxplan-app"
    dpy = x.XOpenDisplay(None)
    if not dpy:
        print("cannot open the X display", file=sys.stderr)
        return 2
    protocols = x.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
    delete = x.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
    sent = 0
    for w in children(dpy, x.XDefaultRootWindow(dpy)):
        if wm_class(dpy, w) == want and takes_delete(dpy, w, delete):
            ev = XEvent()
            ev.xclient.type = 33  # ClientMessage
            ev.xclient.window = w
            ev.xclient.message_type = protocols
            ev.xclient.format = 32
            ev.xclient.data[0] = delete
            ev.xclient.data[1] = 0  # CurrentTime
            x.XSendEvent(dpy, w, 0, 0, ctypes.byref(ev))
            sent += 1
    x.XFlush(dpy)
    x.XCloseDisplay(dpy)
    return 0 if sent else 1


if __name__ == "__main__":
    sys.exit(main())
