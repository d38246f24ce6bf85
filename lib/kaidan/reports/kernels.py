"""Kernels forked from the run's own process, which imported what the notebooks import once.

A kernel started as ``python -m ipykernel_launcher`` spends about a second of CPU importing
IPython, pandas, plotly and kaidan before its first cell; `kaidan report` starts one per
notebook, all at once, on a machine that may have two cores. Instead the run imports those
modules once, forks one idle child per notebook before it starts any thread (`KernelSeeds`),
and each child becomes a kernel when papermill asks for one (`ForkedKernelManager`): the
same interpreter and modules, with the connection file, arguments, working folder and
environment jupyter_client gives the kernel it would have started. A kernel spec naming
another interpreter or other options is started the usual way.
"""
from __future__ import annotations

import ast
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from kaidan.processes import die_with_parent, stop_signals_held, take_stop_signals
from kaidan.reports.lock import let_go_in_child

LAUNCHER = "ipykernel_launcher"


def notebook_imports(paths: list[Path]) -> list[str]:
    """The import statements of the notebooks' code cells, as source, each once and in order."""
    found: list[str] = []
    for path in paths:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            try:
                tree = ast.parse(source)
            except SyntaxError:  # IPython magics: the kernel deals with them
                continue
            for node in tree.body:
                if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.level == 0):
                    statement = ast.unparse(node)
                    if statement not in found:
                        found.append(statement)
    return found


def kernel_arguments(cmd: list[str]) -> list[str] | None:
    """The kernel application's arguments when `cmd` starts ipykernel in this very interpreter
    (``python [-X...] -m ipykernel_launcher ARGS``), else None: that kernel is started as usual.
    (-X options such as frozen_modules=off only serve a debugger; a forked kernel keeps ours.)"""
    if not cmd or Path(cmd[0]).absolute() != Path(sys.executable).absolute():
        return None
    rest = list(cmd[1:])
    while rest and rest[0].startswith("-X"):
        rest = rest[2:] if rest[0] == "-X" else rest[1:]
    if rest[:2] != ["-m", LAUNCHER]:
        return None
    return rest[2:]


class SeedProcess:
    """A forked seed as jupyter_client's provisioner sees a kernel's Popen: poll, wait, signals."""

    def __init__(self, pid: int, pipe: int):
        self.pid = pid
        self.pipe: int | None = pipe  # the seed waits on it for its orders, or for its end
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def start(self, arguments: list[str], env: dict, cwd: str) -> None:
        """Tell the seed to become a kernel with these arguments, environment and folder."""
        order = json.dumps({"arguments": arguments, "env": env, "cwd": cwd}).encode()
        view = memoryview(order)
        while view:
            view = view[os.write(self.pipe, view):]
        self.release()

    def release(self) -> None:
        """Close our end of the seed's pipe: an idle seed then ends."""
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped already
                self.returncode = 0
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                return None
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelSeeds:
    """Idle children of this process, each waiting to become a kernel: fork them after `preload`
    and before this process starts any thread."""

    def __init__(self, count: int):
        sys.stdout.flush()
        sys.stderr.flush()
        self._lock = threading.Lock()
        self.waiting: list[SeedProcess] = []
        with stop_signals_held():
            for _ in range(count):
                self.waiting.append(self._fork())

    def _fork(self) -> SeedProcess:
        parent = os.getpid()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover  (the child; coverage does not follow it)
            take_stop_signals()
            os.close(write)
            for seed in self.waiting:  # the other seeds' pipes, so each sees its own end
                seed.release()
            _become_kernel(read, parent)
        os.close(read)
        return SeedProcess(pid, write)

    def take(self) -> SeedProcess | None:
        with self._lock:
            return self.waiting.pop(0) if self.waiting else None

    def close(self) -> None:
        """End the seeds no kernel was asked of."""
        with self._lock:
            idle, self.waiting = self.waiting, []
        for seed in idle:
            seed.release()
            if seed.wait(2) is None:
                seed.kill()
                seed.wait()


def preload(imports: list[str]) -> None:
    """Import IPython's kernel and run the notebooks' import statements here, once; one that
    fails is left for its notebook to report."""
    import ipykernel.kernelapp  # noqa: F401

    for statement in imports:
        try:
            exec(statement, {})  # noqa: S102 the notebooks' own import statements
        except Exception:  # noqa: BLE001 the kernel runs it again and the notebook says why
            pass


def _become_kernel(pipe: int, parent: int) -> None:  # pragma: no cover  (runs in the forked child)
    """In a seed: wait for the order (or the end of the pipe), then run the kernel as
    ipykernel_launcher would, in its own session like a kernel jupyter_client starts."""
    code = 0
    try:
        os.setsid()
        die_with_parent(parent)
        let_go_in_child()
        chunks = []
        while chunk := os.read(pipe, 65536):
            chunks.append(chunk)
        os.close(pipe)
        if not chunks:
            os._exit(0)
        order = json.loads(b"".join(chunks))
        os.chdir(order["cwd"])
        os.environ.clear()
        os.environ.update(order["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        logging.root.handlers.clear()  # the run's own log format is not the kernel's
        logging.root.setLevel(logging.WARNING)
        logging.getLogger("kaidan").filters.clear()
        if sys.path and not sys.flags.safe_path:
            del sys.path[0]  # the run's script folder; IPython puts the working folder first
        from ipykernel import kernelapp

        sys.argv = [str(Path(kernelapp.__file__).parent.parent / f"{LAUNCHER}.py"), *order["arguments"]]
        kernelapp.IPKernelApp.launch_instance(argv=order["arguments"])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # noqa: BLE001 say why on the kernel's stderr, as a started kernel would
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager that hands the kernel to a waiting seed when it can (`manager_for`)."""

    seeds: KernelSeeds | None = None

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        arguments = kernel_arguments(kernel_cmd)
        seed = self.seeds.take() if self.seeds is not None and arguments is not None \
            and type(self.provisioner) is LocalProvisioner else None
        if seed is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        env = dict(kw.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kw.get("cwd") or os.getcwd())
        seed.start(arguments, env, cwd)
        provisioner = self.provisioner
        provisioner.process, provisioner.pid, provisioner.pgid, provisioner.cwd = seed, seed.pid, seed.pid, cwd
        self._reconcile_connection_info(provisioner.connection_info)


def manager_for(seeds: KernelSeeds) -> type[ForkedKernelManager]:
    """A ForkedKernelManager class that draws on `seeds` (nbclient makes one manager per notebook)."""
    return type("SeededKernelManager", (ForkedKernelManager,), {"seeds": seeds})
