"""Idle time on Windows from GetLastInputInfo, through ctypes."""

from __future__ import annotations

import ctypes
from collections.abc import Mapping

from glutetui.services.idle import IdleReading, ProbeError

_TICK_WRAP_MASK = 0xFFFFFFFF


class LastInputInfo(ctypes.Structure):
    # LASTINPUTINFO from winuser.h: UINT cbSize, DWORD dwTime.
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32)]


def probe_for(environ: Mapping[str, str], platform: str) -> WindowsProbe | None:
    if platform != "win32":
        return None
    try:
        user32 = ctypes.WinDLL("user32", use_last_error=True)
        kernel32 = ctypes.WinDLL("kernel32")
    except (AttributeError, OSError):
        return None
    user32.GetLastInputInfo.restype = ctypes.c_int
    user32.GetLastInputInfo.argtypes = [ctypes.POINTER(LastInputInfo)]
    kernel32.GetTickCount64.restype = ctypes.c_uint64
    kernel32.GetTickCount64.argtypes = []
    return WindowsProbe(user32, kernel32)


def idle_ms_since(tick_count_64: int, last_input_tick_32: int) -> int:
    """Milliseconds between the last input and now.

    dwTime is a 32-bit tick count that wraps every 49.7 days while GetTickCount64 does not,
    so only the low 32 bits of the difference are meaningful: right for any idle time
    shorter than 49.7 days, including across a wrap.
    """
    return (tick_count_64 - last_input_tick_32) & _TICK_WRAP_MASK


class WindowsProbe:
    name = "Windows GetLastInputInfo"

    def __init__(self, user32: ctypes.CDLL, kernel32: ctypes.CDLL) -> None:
        self._user32 = user32
        self._kernel32 = kernel32

    def read(self) -> IdleReading:
        info = LastInputInfo(cbSize=ctypes.sizeof(LastInputInfo))
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise ProbeError(f"GetLastInputInfo failed (Windows error {ctypes.get_last_error()})")
        # Windows does not tell a locked session through this call, so locked stays False.
        return IdleReading(idle_ms_since(self._kernel32.GetTickCount64(), info.dwTime) / 1000)
