import Crypto
import Foundation
import Logging
import NIOCore
import NIOPosix
import PayGridLink
import PayGridTesting
import Testing

/// The link over real sockets: statements and answers cross, hostile bytes are refused and counted,
/// and with TLS only a peer holding a certificate of the link's CA gets through.
@Suite struct LinkTCPTests {
    /// A client whose answers may take long: the suite shares two cores with the whole test run,
    /// and a loaded machine must not fail a test of correctness.
    static func client(port: Int, tls: LinkTLS? = nil) -> LinkClient {
        LinkClient(key: LinkRig.key, audit: nil, logger: Logger(label: "test"), clockSkewMilliseconds: 600_000,
                   now: { LinkRig.clock() }) {
            try await TCPLinkConnection.connect(host: "127.0.0.1", port: port, tls: tls, answerTimeout: .seconds(600))
        }
    }

    /// Runs `body` with a listener on a free port in front of `rig`'s server.
    static func listening(_ rig: LinkRig, tls: LinkTLS? = nil, _ body: (Int) async throws -> Void) async throws {
        let listener = try await LinkListener.bind(host: "127.0.0.1", port: 0, tls: tls, server: rig.server)
        let serving = Task { try await listener.run() }
        defer { serving.cancel() }
        try await body(listener.port)
    }

    @Test func statementsCrossOverTCP() async throws {
        let rig = LinkRig(liveClock: true)
        try await Self.listening(rig) { (port: Int) async throws in
            let client = Self.client(port: port)
            for _ in 0..<5 { #expect(try await client.call(LinkRig.pay) == rig.handler.answer) }
            await client.closeAll()
        }
        #expect(rig.handler.count == 5)
        #expect(rig.server.refusals.isEmpty)
    }

    @Test func garbageOversizedAndCutFramesAreRefusedOnTheWire() async throws {
        let rig = LinkRig(liveClock: true)
        try await Self.listening(rig) { (port: Int) async throws in
            var oversized = LinkFrame.magic + [1, 3] + [UInt8](repeating: 0, count: 32)
            oversized += [0, 16, 0, 0]  // announces 1 MiB
            let http = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) + [UInt8](repeating: 65, count: 40)
            let cut = Array(LinkFrame.magic + [1, 1])  // the connection ends inside a header
            for bytes in [http, oversized, cut] {
                let socket = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                try await socket.writeAndFlush(ByteBuffer(bytes: bytes))
                if bytes == cut { try await socket.close() }
                try await socket.closeFuture.get()  // the listener hangs up on the others
            }
            for _ in 0..<100 where rig.server.refusals.values.reduce(0, +) < 3 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        #expect(rig.server.refusals == [.oversized: 2, .truncated: 1])
        #expect(rig.handler.count == 0)
    }

    @Test func unreachableIsUnavailable() async throws {
        let client = Self.client(port: 1)
        await #expect(throws: LinkUnavailable.self) { try await client.call(LinkRig.pay) }
    }

    @Test func mutualTLSLetsOnlyTheLinksCertificatesIn() async throws {
        let pki = try TestPKI.make()
        let rig = LinkRig(liveClock: true)
        try await Self.listening(rig, tls: pki.tls("server")) { (port: Int) async throws in
            let client = Self.client(port: port, tls: pki.tls("client"))
            #expect(try await client.call(LinkRig.pay) == rig.handler.answer)
            await client.closeAll()
            let stranger = Self.client(port: port, tls: pki.tls("stranger"))
            await #expect(throws: LinkUnavailable.self) { try await stranger.call(LinkRig.pay) }
        }
        #expect(rig.handler.count == 1)
    }
}

/// A CA, a server and a client certificate it signed, and a stranger's self-signed one, made with
/// the openssl command line.
struct TestPKI {
    let directory: String

    static func make() throws -> TestPKI {
        let directory = TemporaryDirectory.make("link-pki").path
        let script = """
            set -e
            cd "\(directory)"
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=link-ca 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
            printf 'extendedKeyUsage=clientAuth\n' > client.ext
            for name in server client; do
              openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$name 2>/dev/null
              openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $name.pem -days 2 \
                -extfile $name.ext 2>/dev/null
            done
            openssl req -x509 -newkey rsa:2048 -nodes -keyout stranger.key -out stranger.pem -days 2 \\
              -subj /CN=stranger 2>/dev/null
            """
        let openssl = try ChildProcess("/bin/bash", ["-c", script])
        _ = openssl.readAll()
        guard openssl.wait() == 0 else { throw LinkUnavailable("openssl failed") }
        return TestPKI(directory: directory)
    }

    func tls(_ name: String) -> LinkTLS {
        LinkTLS(certificatePath: "\(directory)/\(name).pem", privateKeyPath: "\(directory)/\(name).key",
                caPath: "\(directory)/ca.pem")
    }
}
