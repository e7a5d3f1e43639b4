"""Idle time from the X server's screen saver extension (libXss), through ctypes.

Xlib calls exit() when a connection it holds breaks, and a TUI must not die because the
X server went away (logout, a forwarded display dropped). So no connection is kept:
every read opens its own and closes it again, and a server that is gone is seen as a
failed open, which Xlib reports quietly. What remains is a server dying within the
fraction of a millisecond that one read lasts. A server that refuses us (DISPLAY of
another user, no X authority) makes libxcb write its reason to stderr; nothing in the API
turns that off; find_probe then moves on to the next probe.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from glutetui.services.idle import IdleReading, ProbeError

SCREEN_SAVER_ON = 1  # X11/extensions/saver.h

# Platforms where DISPLAY may be set (XQuartz, Cygwin/X) but the X server sees only
# input meant for X programs, not the user's real idle time.
_NOT_X_DESKTOPS = ("darwin", "win32", "cygwin")


class ScreenSaverInfo(ctypes.Structure):
    # XScreenSaverInfo from X11/extensions/scrnsaver.h; Window is an unsigned long.
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


@dataclass(frozen=True)
class XLibraries:
    xlib: ctypes.CDLL
    xss: ctypes.CDLL


def probe_for(environ: Mapping[str, str], platform: str) -> X11Probe | None:
    """A probe for the display in DISPLAY, or None where X11 cannot tell idle time."""
    display = environ.get("DISPLAY")
    # Under Wayland, DISPLAY points at Xwayland, which never sees input to Wayland
    # windows: it would report the user idle while they type in a native terminal.
    if not display or environ.get("WAYLAND_DISPLAY") or platform.startswith(_NOT_X_DESKTOPS):
        return None
    libraries = load_libraries()
    return None if libraries is None else X11Probe(display, libraries)


class X11Probe:
    def __init__(self, display: str, libraries: XLibraries) -> None:
        self.name = f"X11 XScreenSaver on display {display}"
        self._display = os.fsencode(display)
        self._libs = libraries

    def read(self) -> IdleReading:
        display = self._libs.xlib.XOpenDisplay(self._display)
        if not display:
            raise ProbeError(f"cannot open X display {self._display.decode(errors='replace')}")
        try:
            return self._query(display)
        finally:
            self._libs.xlib.XCloseDisplay(display)

    def _query(self, display: int) -> IdleReading:
        xss = self._libs.xss
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(display, ctypes.byref(event_base), ctypes.byref(error_base)):
            raise ProbeError("the X server has no screen saver extension")
        info = xss.XScreenSaverAllocInfo()
        if not info:
            raise ProbeError("XScreenSaverAllocInfo failed")
        try:
            if not xss.XScreenSaverQueryInfo(display, self._libs.xlib.XDefaultRootWindow(display), info):
                raise ProbeError("XScreenSaverQueryInfo failed")
            return IdleReading(info.contents.idle / 1000, locked=info.contents.state == SCREEN_SAVER_ON)
        finally:
            self._libs.xlib.XFree(info)


@functools.cache
def load_libraries() -> XLibraries | None:
    """libX11 and libXss with their C signatures declared, or None if one is missing."""
    xlib, xss = _open("X11", "libX11.so.6"), _open("Xss", "libXss.so.1")
    if xlib is None or xss is None:
        return None
    _declare_xlib(xlib)
    _declare_xss(xss)
    return XLibraries(xlib=xlib, xss=xss)


def _open(name: str, soname: str) -> ctypes.CDLL | None:
    # The soname is the fallback for systems where find_library has no ldconfig to ask.
    try:
        return ctypes.CDLL(ctypes.util.find_library(name) or soname)
    except OSError:
        return None


def _declare(function, restype, *argtypes) -> None:
    # Without these, ctypes passes and returns C int, which truncates 64-bit pointers.
    function.restype = restype
    function.argtypes = list(argtypes)


def _declare_xlib(xlib: ctypes.CDLL) -> None:
    _declare(xlib.XOpenDisplay, ctypes.c_void_p, ctypes.c_char_p)
    _declare(xlib.XCloseDisplay, ctypes.c_int, ctypes.c_void_p)
    _declare(xlib.XDefaultRootWindow, ctypes.c_ulong, ctypes.c_void_p)
    _declare(xlib.XFree, ctypes.c_int, ctypes.c_void_p)


def _declare_xss(xss: ctypes.CDLL) -> None:
    info_pointer = ctypes.POINTER(ScreenSaverInfo)
    int_pointer = ctypes.POINTER(ctypes.c_int)
    _declare(xss.XScreenSaverQueryExtension, ctypes.c_int, ctypes.c_void_p, int_pointer, int_pointer)
    _declare(xss.XScreenSaverAllocInfo, info_pointer)
    _declare(xss.XScreenSaverQueryInfo, ctypes.c_int, ctypes.c_void_p, ctypes.c_ulong, info_pointer)

