import Foundation
import PayGridTesting

/// Runs the built `paygrid` executable, as a user would.
enum PayGridProcess {
    /// `paygrid` sits next to the test bundle in the build directory.
    static var executable: String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("paygrid").path
    }

    /// For tests that drive one server hard from one address, as one cashier or bank: no rate limits.
    static let unlimited = [
        "PAYGRID_RATELIMIT_ADDRESS": "off", "PAYGRID_RATELIMIT_OPERATOR": "off", "PAYGRID_RATELIMIT_PARTNER": "off",
    ]

    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs a command to completion off the cooperative threads: waiting for a child process there
    /// would hold one of the machine's two, and starve every async test of the process meanwhile.
    static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) async throws
        -> Outcome
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try runBlocking(arguments, input: input, environment: environment)
                })
            }
        }
    }

    /// Runs a command to completion, capturing standard output and error together.
    static func runBlocking(_ arguments: [String], input: String? = nil, environment: [String: String] = [:])
        throws -> Outcome
    {
        let child = try ChildProcess(executable, arguments, environment: environment, input: input ?? "")
        let output = child.readAll()
        return Outcome(status: child.wait(), output: output)
    }

    /// A running `paygrid serve`, with the port it bound.
    final class Server: @unchecked Sendable {
        let process: ChildProcess
        let port: Int
        /// The line the server announced itself with.
        let banner: String

        /// Starts `paygrid serve` off the cooperative threads (it blocks until the server announces
        /// its port, which takes seconds when it seeds a demo).
        static func start(_ options: [String], environment: [String: String] = [:]) async throws -> Server {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try Server(options, environment: environment) })
                }
            }
        }

        /// `paygrid serve` over the store `options` name (`--data-dir`, `--database`).
        init(_ options: [String], environment: [String: String] = [:]) throws {
            process = try ChildProcess(
                PayGridProcess.executable, ["serve"] + options + ["--port", "0", "--log-level", "warning"],
                environment: environment, discardErrors: true)
            // Block until the server announces its port (its first line of output).
            var text = ""
            while !text.contains("\n") {
                let chunk = process.read()
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: "http://127.0.0.1:"),
                let port = Int(text[range.upperBound...].prefix(while: \.isNumber))
            else {
                process.send(SIGTERM)
                process.wait()
                throw CocoaError(
                    .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text)"])
            }
            self.port = port
            banner = text
        }

        /// A port the banner names after `marker` (the internal zone's link: "link on 127.0.0.1:").
        func announcedPort(after marker: String) -> Int? {
            banner.range(of: marker).flatMap { Int(banner[$0.upperBound...].prefix(while: \.isNumber)) }
        }

        func kill9() {
            process.send(SIGKILL)
            process.wait()
        }

        /// SIGTERM: graceful shutdown; returns the exit status.
        func stop() -> Int32 {
            process.send(SIGTERM)
            return process.wait()
        }
    }
}
