#!/usr/bin/env python3
"""Runs a list of commands one after another and reports, per command, wall time and the child's own CPU time and
peak RSS from wait4(2) (microsecond resolution; GNU time rounds to 10 ms). Input: JSON on stdin
{"runs": [{"label", "argv", "env", "before": [argv...], "after": [argv...]}]}; output: one JSON list on stdout.
Commands in before/after are not measured."""
import json, os, subprocess, sys, time

def untimed(cmds, env):
    for c in cmds or []:
        subprocess.run(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

def main():
    spec = json.load(sys.stdin)
    out = []
    for r in spec["runs"]:
        env = dict(os.environ); env.update(r.get("env") or {})
        untimed(r.get("before"), env)
        devnull = os.open(os.devnull, os.O_RDWR)
        t0 = time.perf_counter()
        pid = os.posix_spawnp(r["argv"][0], r["argv"], env, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, ru = os.wait4(pid, 0)
        wall = (time.perf_counter() - t0) * 1000
        os.close(devnull)
        untimed(r.get("after"), env)
        out.append({"label": r["label"], "wall_ms": wall, "user_ms": ru.ru_utime * 1000, "sys_ms": ru.ru_stime * 1000,
                    "cpu_ms": (ru.ru_utime + ru.ru_stime) * 1000, "maxrss_kib": ru.ru_maxrss,
                    "rc": os.waitstatus_to_exitcode(status)})
    json.dump(out, sys.stdout)

main()
