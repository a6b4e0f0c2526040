using System.Globalization;

namespace Threadbook.Python;

/// <summary>
/// The prelude <c>#!python --timeline</c> slips into the interpreter so the CPU timeline can name its lanes: a
/// <c>sitecustomize</c> module, found first on <c>PYTHONPATH</c>, that writes "pid, native thread id, name" to a side file
/// when the program starts, when each <c>threading.Thread</c> starts (<c>Thread._bootstrap_inner</c>, so subclasses
/// that override <c>run</c> are named too) and when a forked <c>multiprocessing</c> process starts. It prints nothing and
/// leaves the program's code, line numbers and tracebacks alone; it then runs the <c>sitecustomize</c> it hides (Debian
/// ships one).
/// </summary>
internal static class ThreadNamesPrelude
{
    /// <summary>The environment variable that tells the prelude where to write.</summary>
    public const string NamesFileVariable = "THREADBOOK_THREAD_NAMES";

    /// <summary>The prelude's source.</summary>
    public const string Source = """
        # Threadbook's #!python --timeline prelude: reports each thread's native id and name for the CPU timeline's lanes.
        import os as _tb_os
        import sys as _tb_sys


        def _tb_setup():
            path = _tb_os.environ.get("THREADBOOK_THREAD_NAMES")
            here = _tb_os.path.dirname(_tb_os.path.abspath(__file__))
            if path:
                import threading

                def report(name):
                    try:
                        line = "%d\t%d\t%s\n" % (_tb_os.getpid(), threading.get_native_id(), " ".join(str(name).split()))
                        fd = _tb_os.open(path, _tb_os.O_WRONLY | _tb_os.O_APPEND | _tb_os.O_CREAT, 0o600)
                        try:
                            _tb_os.write(fd, line.encode("utf-8", "replace"))
                        finally:
                            _tb_os.close(fd)
                    except OSError:
                        pass

                report(threading.current_thread().name)
                bootstrap_inner = threading.Thread._bootstrap_inner

                def _bootstrap_inner(self):
                    report(self.name)
                    return bootstrap_inner(self)

                threading.Thread._bootstrap_inner = _bootstrap_inner

                def name_forked_processes():
                    process = _tb_sys.modules.get("multiprocessing.process")
                    if process is None or getattr(process.BaseProcess._bootstrap, "_threadbook", False):
                        return
                    bootstrap = process.BaseProcess._bootstrap

                    def _bootstrap(self, *args, **kwargs):
                        report(self.name)
                        return bootstrap(self, *args, **kwargs)

                    _bootstrap._threadbook = True
                    process.BaseProcess._bootstrap = _bootstrap

                _tb_os.register_at_fork(after_in_child=name_forked_processes)

            # Run the sitecustomize this one hides, as Python would have.
            import importlib.machinery
            import importlib.util
            spec = importlib.machinery.PathFinder.find_spec(
                "sitecustomize", [p for p in _tb_sys.path if _tb_os.path.abspath(p or ".") != here])
            if spec is not None and spec.loader is not None:
                spec.loader.exec_module(importlib.util.module_from_spec(spec))


        try:
            _tb_setup()
        finally:
            del _tb_setup
        """;

    /// <summary>Writes the prelude as <c>sitecustomize.py</c> into <paramref name="folder"/> (a folder of its own, put first on PYTHONPATH).</summary>
    public static void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sitecustomize.py"), Source);
    }

    /// <summary>Reads the names the prelude wrote: (process id, thread id) → the latest name; empty when there is no file.</summary>
    public static IReadOnlyDictionary<(int Pid, int Tid), string> ReadNames(string file)
    {
        var names = new Dictionary<(int, int), string>();
        if (!File.Exists(file))
        {
            return names;
        }

        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split('\t', 3);
            if (parts.Length == 3 &&
                int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
                int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
            {
                names[(pid, tid)] = parts[2];
            }
        }

        return names;
    }
}
