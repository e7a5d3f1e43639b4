"""Desktop notifications: through plyer where it works in-process, else the system's own
command (notify-send on Linux and the BSDs, osascript on macOS), else none (in-app only).

Sending never raises into the app and never writes to the terminal, where Textual draws
the screen. plyer 2.1 needs care for both:
- On Linux it works in-process only with dbus-python (NotifyDbus). Without it, it runs
  notify-send itself with the terminal as stderr and ignores the exit status, so a failure
  would garble the screen and look like success; under Flatpak it builds a gdbus GVariant
  string from the text, which quotes break. Those two, and its bare facade (no backend at
  all), count as "plyer has no backend here"; we then run the command ourselves.
- Finding its backend warns (warnings.warn) when dbus-python is missing, and plyer's own
  lookup prints a traceback when a platform module fails to import. So we look it up the
  way plyer does, once, with warnings silenced and failures caught.
- A call can hang (a bus that never answers), so it runs in a daemon thread joined with a
  timeout; a plyer that hung or raised is not asked again by this Notifier.

The reminder asks for buttons (take, snooze, skip). Where the session bus's notification
service lists the "actions" capability, it goes over D-Bus with jeepney instead
(notify_actions.py), and a pressed button comes back through `listen`; everywhere else,
and for anything sent without buttons, the plain way above.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Mapping

from glutetui.domain.record import record

APP_NAME = "glutetui"
TEST_TITLE = "glutetui test"
TEST_BODY = "This is how glutetui's reminders to stand up will look on this desktop."

# plyer's own implementations that do not send in-process (see the module docstring).
PLYER_NOT_IN_PROCESS = {"NotifySendNotification", "NotifyDesktopPortals", "Notification"}
# How long plyer's backend asks the desktop to show a notification; plyer needs a number.
PLYER_SHOW_SECONDS = 10

NO_NOTIFY_SEND = ("notify-send is not installed; install libnotify-bin (sudo apt install libnotify-bin) "
                  "or dbus-python")
NO_OSASCRIPT = "osascript was not found; it comes with macOS, so check that /usr/bin is on your PATH"
NO_WINDOWS_BACKEND = ("on Windows only plyer can show notifications, and it cannot here; reinstall it "
                      "(pip install --force-reinstall plyer)")

# The reminder's buttons: (action key, label). The keys are what the app answers with.
REMINDER_ACTIONS = (("take", "Take"), ("snooze", "Snooze 5 min"), ("skip", "Skip"))
NO_BUTTONS_ELSEWHERE = "only Linux and the BSDs' freedesktop notification services offer them"

CHECK_SERVICE = "check that your desktop runs a notification service (over SSH or on a bare console none does)"

PlyerNotify = Callable[..., object]


@record
class Delivery:
    sent: bool
    backend: str  # "plyer (NotifyDbus)", "notify-send", "osascript" or "none"
    problem: str | None  # when not sent: what failed and how to fix it, in one line


@record
class PlyerBackend:
    """plyer's notify function and the name of the class behind it, or why there is none."""

    notify: PlyerNotify | None
    name: str

    @property
    def label(self) -> str:
        return f"plyer ({self.name})"


class Notifier:
    def __init__(self, *, platform: str = sys.platform, which: Callable[[str], str | None] = shutil.which,
                 plyer_notify: PlyerNotify | None = None, timeout: float = 5.0,
                 environ: Mapping[str, str] | None = None) -> None:
        self._platform = platform
        self._which = which
        self._plyer_notify = plyer_notify  # None: the real plyer, looked up on first use
        self._timeout = timeout
        self._environ = environ
        self._plyer_broken: str | None = None  # why plyer is no longer asked, once it hung or failed
        self._on_answer: Callable[[str], None] | None = None
        self._buttons = None  # notify_actions.ActionNotifications while its connection is open
        self._buttons_lock = threading.Lock()
        self._withdrawals = 0  # counts withdraw(): one during a show closes what that show opens

    # ---------------------------------------------------------------- buttons

    def listen(self, on_answer: Callable[[str], None]) -> None:
        """`on_answer(key)` runs, on another thread, when a button of the last notification
        sent with buttons is pressed; the key is one of REMINDER_ACTIONS'."""
        self._on_answer = on_answer

    def withdraw(self) -> None:
        """Close the notification with buttons now on show (answered in the app). Never waits."""
        self._withdrawals += 1
        buttons = self._buttons
        if buttons is not None:
            buttons.withdraw()

    def close(self) -> None:
        """The app quits: close the notification on show and the connection to the bus."""
        self._withdrawals += 1
        buttons, self._buttons = self._buttons, None
        if buttons is not None:
            buttons.close()

    def buttons(self) -> str:
        """Whether a notification sent with buttons shows them here, and from which service (for doctor)."""
        try:
            channel, problem = self._open_buttons()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - doctor must finish whatever the bus does
            return f"none: asking the notification service failed ({_describe(error)})"
        if channel is None:
            return f"none: {problem}; answer reminders in the app"
        return f"take, snooze and skip on the reminder ({channel.server}, over D-Bus)"

    def _answered(self, key: str) -> None:
        if self._on_answer is not None:
            self._on_answer(key)

    def _open_buttons(self):
        """(the open connection, None), or (None, why there are no buttons)."""
        if self._platform in ("darwin", "win32", "cygwin"):
            return None, NO_BUTTONS_ELSEWHERE
        address = (os.environ if self._environ is None else self._environ).get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            return None, "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
        with self._buttons_lock:
            if self._buttons is not None and self._buttons.alive:
                return self._buttons, None
            try:
                # Loaded at the first reminder, not at start-up; jeepney is not on every system.
                from glutetui.services.notify_actions import ActionNotifications, NoActions
            except ImportError as error:
                return None, f"the Python package jeepney is missing ({_describe(error)})"
            try:
                self._buttons = ActionNotifications(address, self._answered, self._timeout)
            except NoActions as why:
                self._buttons = None
                return None, str(why)
            return self._buttons, None

    def _send_with_buttons(self, title: str, body: str, actions) -> Delivery | None:
        """None when buttons cannot be shown here: then the plain way."""
        withdrawals = self._withdrawals
        channel, _problem = self._open_buttons()
        if channel is None:
            return None
        from glutetui.services.notify_actions import BUS_FAILURES

        try:
            channel.show(title, self._body_for_desktop(body), actions)
        except BUS_FAILURES:
            return None  # the service took the connection but not the notification: try the plain way
        if self._withdrawals != withdrawals:
            channel.withdraw()  # answered in the app while this was being sent
        return Delivery(True, f"D-Bus ({channel.server}) with buttons", None)

    def backend(self) -> str:
        """What a notification would go through now, without sending one (for doctor)."""
        try:
            plyer = self._usable_plyer()
            if plyer is not None:
                return plyer.label
            command, path = self._command()
            if path is not None:
                return f"{command} ({path})"
            return f"none: {self._no_command_reason()}"
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - doctor must finish even if a backend cannot be found
            return f"none: looking for a notification backend failed ({_describe(error)})"

    def send(self, title: str, body: str, actions: tuple[tuple[str, str], ...] = ()) -> Delivery:
        """Show a desktop notification; blocks for at most about `timeout` per backend tried.
        With `actions`, (key, label) pairs, it offers those buttons where the desktop can."""
        try:
            if actions:
                delivery = self._send_with_buttons(title, body, actions)
                if delivery is not None:
                    return delivery
            return self._send(title, body)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - a reminder must never bring the app down
            return Delivery(False, "none", f"sending the notification failed unexpectedly ({_describe(error)})")

    def _send(self, title: str, body: str) -> Delivery:
        plyer_problem = None
        plyer = self._usable_plyer()
        if plyer is not None:
            plyer_problem = self._send_with_plyer(plyer, title, body)
            if plyer_problem is None:
                return Delivery(True, plyer.label, None)
        delivery = self._send_with_command(title, body)
        if not delivery.sent and plyer_problem is not None:
            return Delivery(False, delivery.backend, f"{plyer_problem}; then {delivery.problem}")
        return delivery

    # ---------------------------------------------------------------- plyer

    def _usable_plyer(self) -> PlyerBackend | None:
        if self._plyer_broken is not None:
            return None
        plyer = _real_plyer() if self._plyer_notify is None else _plyer_backend(self._plyer_notify)
        if plyer.notify is None or plyer.name in PLYER_NOT_IN_PROCESS:
            return None
        return plyer

    def _send_with_plyer(self, plyer: PlyerBackend, title: str, body: str) -> str | None:
        """None when sent, else the problem; a plyer that failed is not asked again."""
        outcome: list[BaseException | None] = []

        def call() -> None:
            try:
                plyer.notify(title=title, message=self._body_for_desktop(body), app_name=APP_NAME,
                             timeout=PLYER_SHOW_SECONDS)
                outcome.append(None)
            except BaseException as error:  # noqa: BLE001 - reported to the caller instead of lost in a thread
                outcome.append(error)

        worker = threading.Thread(target=call, name="glutetui-notify", daemon=True)
        worker.start()
        worker.join(self._timeout)
        if not outcome:
            problem = f"{plyer.label} did not return within {self._timeout:g} s"
        elif outcome[0] is not None:
            problem = f"{plyer.label} failed ({_describe(outcome[0])})"
        else:
            return None
        self._plyer_broken = problem
        return problem

    # ---------------------------------------------------------------- the system's command

    def _command(self) -> tuple[str | None, str | None]:
        """The command this platform uses and where it is installed (None when missing)."""
        if self._platform in ("win32", "cygwin"):
            return None, None
        command = "osascript" if self._platform == "darwin" else "notify-send"
        return command, self._which(command)

    def _send_with_command(self, title: str, body: str) -> Delivery:
        command, path = self._command()
        if path is None:
            return Delivery(False, "none", self._no_command_reason())
        if command == "osascript":
            argv = osascript_argv(path, title, body)
        else:
            argv = notify_send_argv(path, title, self._body_for_desktop(body))
        return _run(command, argv, self._timeout, self._environ)

    def _no_command_reason(self) -> str:
        if self._platform == "darwin":
            return NO_OSASCRIPT
        if self._platform in ("win32", "cygwin"):
            return NO_WINDOWS_BACKEND
        return NO_NOTIFY_SEND

    def _body_for_desktop(self, body: str) -> str:
        # The freedesktop Notifications spec lets servers read the body as markup; escaping
        # makes "<b>" arrive as text. macOS and Windows show the text as it is.
        if self._platform in ("darwin", "win32", "cygwin"):
            return body
        return body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def notify_send_argv(path: str, title: str, body: str) -> list[str]:
    # "--": a title starting with "-" is text, not an option. notify-send reads C escapes
    # in the body (g_strcompress: "\n" becomes a newline), so a backslash is doubled to
    # arrive as itself; the summary is passed on untouched. No --expire-time: the
    # desktop's own setting for how long notifications stay applies.
    return [path, f"--app-name={APP_NAME}", "--", title, body.replace("\\", "\\\\")]


OSASCRIPT_LINES = ("on run argv", "display notification (item 2 of argv) with title (item 1 of argv)", "end run")


def osascript_argv(path: str, title: str, body: str) -> list[str]:
    # The text goes in as arguments of the run handler, never into the AppleScript source,
    # so quotes and backslashes in it cannot change the script. "--" ends osascript's options.
    script = [part for line in OSASCRIPT_LINES for part in ("-e", line)]
    return [path, *script, "--", title, body]


def _run(command: str, argv: list[str], timeout: float, environ: Mapping[str, str] | None) -> Delivery:
    try:
        # Output is captured so nothing reaches the terminal under the app's screen.
        result = subprocess.run(argv, check=False, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                                env=dict(environ) if environ is not None else None)
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        return Delivery(False, command, f"the notification service did not answer {command} within "
                        f"{timeout:g} s; {CHECK_SERVICE}")
    except OSError as error:
        return Delivery(False, command, f"could not run {argv[0]} ({_describe(error)}); reinstall it")
    if result.returncode != 0:
        said = _first_line(result.stderr) or f"exit status {result.returncode}"
        return Delivery(False, command, f"{command} could not show the notification ({said}); {CHECK_SERVICE}")
    return Delivery(True, command, None)


# ---------------------------------------------------------------- finding plyer's backend

_real_plyer_backend: PlyerBackend | None = None
_real_plyer_lock = threading.Lock()


def _real_plyer() -> PlyerBackend:
    """plyer's backend for this system, looked up once per process (from any thread)."""
    global _real_plyer_backend
    with _real_plyer_lock:
        if _real_plyer_backend is None:
            _real_plyer_backend = _find_real_plyer()
        return _real_plyer_backend


def _find_real_plyer() -> PlyerBackend:
    # The same lookup as plyer's Proxy._ensure_obj (plyer.platforms.<platform>.notification
    # .instance()), but a failure is caught here instead of printed as a traceback.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from plyer.utils import platform as plyer_platform

            module = importlib.import_module(f"plyer.platforms.{plyer_platform}.notification")
            return _plyer_backend(module.instance().notify)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - any failure means "no plyer backend"
        return PlyerBackend(None, f"unavailable: {_describe(error)}")


def _plyer_backend(notify: PlyerNotify) -> PlyerBackend:
    owner = getattr(notify, "__self__", None)  # the plyer object whose bound notify() this is
    name = type(owner).__name__ if owner is not None else getattr(notify, "__name__", type(notify).__name__)
    return PlyerBackend(notify, name)


def _first_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", errors="replace").splitlines()]
    return next((line for line in lines if line), "")


def _describe(error: BaseException) -> str:
    text = _first_line(str(error).encode("utf-8", errors="replace"))
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def send_test_notification(notifier: Notifier | None = None) -> Delivery:
    """What `glutetui notify-test` sends."""
    return (notifier or Notifier()).send(TEST_TITLE, TEST_BODY)
