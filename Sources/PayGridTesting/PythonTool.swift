import Foundation

/// Python 3 as an independent checker in tests (validators from PyPI that `.ci/run` installs).
public enum PythonTool {
    /// Whether `python3` can import `module`.
    public static func has(_ module: String) -> Bool {
        (try? run(["-c", "import \(module)"]).status == 0) ?? false
    }

    /// Runs `python3 arguments…`; answers its exit status and its stdout and stderr together.
    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
