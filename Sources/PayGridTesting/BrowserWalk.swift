import Foundation
import Testing

/// The staff pages in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
/// driven by selenium from `Tests/Browser/*.py` against a live server; the script checks what the
/// pages show, the Swift test what the ledger holds. `PAYGRID_SCREENSHOTS=docs/screenshots` keeps
/// the pages' screenshots (linked from the README).
public enum BrowserWalk {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Browser")

    /// Whether selenium and the Chromium driver are installed (`.ci/run` installs them).
    public static let available = PythonTool.has("selenium")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")

    public static func screenshots() -> String {
        ProcessInfo.processInfo.environment["PAYGRID_SCREENSHOTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("paygrid-screenshots").path
    }

    /// Runs `script` with `arguments` against the server at `port`; answers its last line as JSON.
    public static func walk(_ script: String, port: Int, _ arguments: [String]) async throws -> [String: Any] {
        let (status, output) = try await PythonTool.running(
            [scripts.appendingPathComponent(script).path, "http://127.0.0.1:\(port)"] + arguments)
        try #require(status == 0, "\(script) failed:\n\(output)")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }
}
