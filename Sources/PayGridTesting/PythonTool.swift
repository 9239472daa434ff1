import Foundation

/// Python 3 as an independent checker in tests (validators from PyPI that `.ci/run` installs).
public enum PythonTool {
    /// Whether `python3` can import `module`.
    public static func has(_ module: String) -> Bool {
        (try? run(["-c", "import \(module)"]).status == 0) ?? false
    }

    /// `run` on a thread of its own, so a test waiting for a script that talks to this process's
    /// own server does not hold one of the few cooperative threads the server needs.
    public static func running(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try run(arguments) }) }
        }
    }

    /// Runs `python3 arguments…`; answers its exit status and its stdout and stderr together.
    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let child = try ChildProcess("python3", arguments)
        let output = child.readAll()
        return (child.wait(), output)
    }
}
