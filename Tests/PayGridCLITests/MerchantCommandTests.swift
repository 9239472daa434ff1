import Foundation
import PayGridTesting
import Testing

/// `paygrid merchant`: the utility's registration with a provider kept in the database, its private
/// key sealed at rest (the database's files hold no trace of it), a bad key refused.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct MerchantCommandTests {
    /// A new 2048-bit RSA key pair made by openssl: the private and the public key's files.
    static func keyPair(in dir: String, _ name: String) throws -> (private: String, public: String) {
        let (privatePath, publicPath) = ("\(dir)/\(name).pem", "\(dir)/\(name).pub")
        for arguments in [
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privatePath],
            ["pkey", "-in", privatePath, "-pubout", "-out", publicPath],
        ] {
            let child = try ChildProcess("/usr/bin/openssl", arguments)
            _ = child.readAll()
            try #require(child.wait() == 0)
        }
        return (privatePath, publicPath)
    }

    @Test func aRegistrationIsKeptWithItsPrivateKeySealed() async throws {
        let dir = NSTemporaryDirectory() + "merchant-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let alipay = try Self.keyPair(in: dir, "alipay"), app = try Self.keyPair(in: dir, "app")
        let registered = try await PayGridProcess.run([
            "merchant", "alipay", "--data-dir", "\(dir)/data", "--app-id", "2021000000000001",
            "--seller-id", "2088000000000002", "--alipay-key", alipay.public, "--private-key", app.private,
        ])
        #expect(registered.status == 0, "\(registered.output)")
        let listed = try await PayGridProcess.run(["merchant", "list", "--data-dir", "\(dir)/data"])
        #expect(listed.output.contains("alipay ALIPAY app 2021000000000001 merchant 2088000000000002"))
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/data")
            .filter { $0.hasPrefix("paygrid.sqlite") }
        #expect(!files.isEmpty)
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/data/\(file)"))
            #expect(bytes.range(of: Data("PRIVATE KEY".utf8)) == nil, "\(file) holds the private key in clear")
        }
        // A public key where the private key belongs is refused, and nothing changes.
        let refused = try await PayGridProcess.run([
            "merchant", "alipay", "--data-dir", "\(dir)/data", "--app-id", "2021000000000009",
            "--seller-id", "2088000000000002", "--alipay-key", alipay.public, "--private-key", app.public,
        ])
        #expect(refused.status != 0)
        #expect(refused.output.contains("provider_key_invalid"))
        let after = try await PayGridProcess.run(["merchant", "list", "--data-dir", "\(dir)/data"])
        #expect(after.output.contains("app 2021000000000001"))
    }
}
