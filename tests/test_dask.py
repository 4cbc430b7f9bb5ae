"""``kg build/extract --dask``: a real scheduler and workers, compared with one process.

The module starts ``dask scheduler`` and ``dask worker --nworkers 2`` as
subprocesses on loopback (free ports, no dashboards), each in a process group
of its own that is stopped in teardown, whatever happened; every wait is
bounded.
"""

from __future__ import annotations

import doctest
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg.distributed
from kg.cli import main
from kg.distributed import check_workers, connect, dask_map, partitions
from kg.errors import ClusterError

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
COMPARED = ("graph.trig", "extraction.jsonl")
START_SECONDS = 120.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dask() -> list[str]:
    exe = Path(sys.executable).parent / "dask"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dask"]


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:
        return subprocess.Popen(
            [*_dask(), *args],
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own group: the nannies' workers go with it
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)  # the group this test started, by its id
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler on loopback with two single-threaded workers."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask-logs")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        _start(
            ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            logs / "scheduler.log",
        )
    ]
    try:
        procs.append(
            _start(
                [
                    "worker",
                    address,
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                    "--local-directory",
                    str(logs),
                ],
                logs / "worker.log",
            )
        )
        deadline = time.monotonic() + START_SECONDS
        client = None
        while client is None:
            try:
                client = Client(address, timeout=5, set_as_default=False)
            except OSError:
                if time.monotonic() > deadline or procs[0].poll() is not None:
                    raise AssertionError(
                        "the dask scheduler did not start:\n"
                        + (logs / "scheduler.log").read_text(errors="replace")[-2000:]
                    ) from None
                time.sleep(0.5)
        try:
            client.wait_for_workers(2, timeout=max(1.0, deadline - time.monotonic()))
        except TimeoutError:
            raise AssertionError(
                "the dask workers did not join:\n"
                + (logs / "worker.log").read_text(errors="replace")[-2000:]
            ) from None
        finally:
            client.close()
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds built in one process (the reference)."""
    out = tmp_path_factory.mktemp("single") / "out"
    assert main(["build", str(SEEDS), "--out", str(out), "--no-html", "-q"]) == 0
    return out


def _same(a: Path, b: Path) -> None:
    for name in COMPARED:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.slow
def test_cluster_build_is_byte_identical_to_one_process(
    scheduler: str, single: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert (
        main(["build", str(SEEDS), "--out", str(out), "--no-html", "-q", "--dask", scheduler]) == 0
    )
    _same(single, out)


@pytest.mark.slow
def test_cluster_extract_is_byte_identical(scheduler: str, single: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    assert main(["extract", str(SEEDS), "--out", str(pred), "-q", "--dask", scheduler]) == 0
    assert pred.read_bytes() == (single / "extraction.jsonl").read_bytes()


@pytest.mark.slow
def test_local_cluster_build_is_byte_identical(single: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = ["build", str(SEEDS), "--out", str(out), "--no-html", "-q"]
    assert main([*argv, "--dask", "local", "--workers", "2"]) == 0
    _same(single, out)


def test_ordered_and_bounded_with_small_partitions(scheduler: str) -> None:
    """Results come in input order; never more than in_flight partitions are out."""
    pulled = 0

    def items() -> Iterator[str]:
        nonlocal pulled
        for i in range(40):
            pulled += 1
            yield "x" * ((i * 7919) % 23)  # lengths in no order

    expected = [(i * 7919) % 23 for i in range(40)]
    got = []
    for n in dask_map(len, items(), address=scheduler, partition_docs=3, in_flight=2):
        got.append(n)
        # what was read but not yet handed on fits in the in-flight partitions
        assert pulled - len(got) <= 2 * 3
    assert got == expected


def test_stopping_early_cancels_the_rest(scheduler: str) -> None:
    results = dask_map(len, ["ab"] * 50, address=scheduler, partition_docs=1, in_flight=4)
    assert next(results) == 2
    results.close()  # no error; the pending partitions are cancelled


def test_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(kg.distributed, "CONNECT_TIMEOUT", 2.0)
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    started = time.monotonic()
    code = main(["build", str(SEEDS), "--out", str(tmp_path / "out"), "--dask", address, "-q"])
    assert code == ClusterError.exit_code == 7
    assert time.monotonic() - started < 60
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at {address}" in err
    assert "dask scheduler" in err and "dask worker" in err
    assert not (tmp_path / "out").exists()  # nothing written


def test_not_an_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", str(SEEDS), "--out", str(tmp_path / "o"), "--dask", "host:8786"])
    assert code == 7
    assert "tcp://HOST:PORT" in capsys.readouterr().err


def test_missing_dask_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    code = main(["extract", str(SEEDS), "--out", str(tmp_path / "p.jsonl"), "--dask", "local"])
    assert code == 7
    assert "pip install 'union-kg[dask]'" in capsys.readouterr().err


def test_worker_without_the_package_is_refused(scheduler: str) -> None:
    with connect(scheduler) as client, pytest.raises(ClusterError) as exc:
        check_workers(client, scheduler, dist="union-kg-not-installed-anywhere")
    assert "2 of 2 Dask worker(s)" in str(exc.value)
    assert "cannot import union-kg-not-installed-anywhere" in str(exc.value)
    assert "pip install union-kg" in str(exc.value)


def test_worker_with_other_code_or_data_is_refused(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the workers' union-kg is this one; pretend ours differs
    monkeypatch.setattr(kg.distributed, "fingerprint", lambda: "0" * 16)
    with pytest.raises(ClusterError) as exc:
        next(dask_map(len, ["a"], address=scheduler))
    assert "run another union-kg than this one" in str(exc.value)


def test_partitions_bound_documents_and_characters() -> None:
    class Doc:
        def __init__(self, n: int) -> None:
            self.text = "字" * n

    sizes = [len(p) for p in partitions([Doc(10)] * 7, docs=3, chars=25)]
    assert sizes == [2, 2, 2, 1]  # 25 chars: two documents of 10 each
    assert [len(p) for p in partitions([Doc(100), Doc(1)], docs=5, chars=25)] == [1, 1]
    assert list(partitions([], docs=3)) == []


def test_module_doctests() -> None:
    assert doctest.testmod(kg.distributed).failed == 0


def test_an_error_of_the_task_is_raised_as_it_is(scheduler: str) -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        list(dask_map(int, ["1", "x"], address=scheduler))


@pytest.mark.slow
def test_losing_the_workers_is_a_cluster_error() -> None:
    # each attempt kills its worker process (the nanny starts another) until
    # the scheduler gives the task up
    with pytest.raises(ClusterError, match="failed during extraction"):
        list(dask_map(os._exit, [3], address="local", workers=1))


def test_documents_are_read_as_partitions_go_out(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --dask the inputs are never all in memory on the side of kg."""
    import kg.text
    from kg.model import Document
    from kg.pipeline import iter_results

    pulled = 0

    def documents(*args: object, **kwargs: object) -> Iterator[Document]:
        nonlocal pulled
        for i in range(700):
            pulled += 1
            yield Document(f"d{i}.txt", f"d{i}.txt", f"市总工会第{i}次会议。")

    monkeypatch.setattr(kg.text, "iter_documents", documents)
    results = iter_results(["unused"], dask=scheduler, progress=False)
    first = next(results)
    assert first.doc.doc_id == "d0.txt"
    # two workers: at most 5 partitions of 64 out, and the one being formed
    assert pulled <= 6 * 64 < 700
    rest = list(results)
    assert [r.doc.doc_id for r in rest][-1] == "d699.txt" and len(rest) == 699


def test_a_failing_local_cluster_teardown_does_not_hide_the_outcome() -> None:
    """Regression (CI, clean clone): after workers died, LocalCluster.close raised
    "can only join a started process" while a nanny was restarting one, replacing
    the build's ClusterError by an AssertionError. Closing our cluster never raises."""
    from kg.distributed import _close_local

    class Dying:
        closed = False

        def close(self) -> None:
            self.closed = True
            raise AssertionError("can only join a started process")

    cluster = Dying()
    _close_local(cluster)
    assert cluster.closed
