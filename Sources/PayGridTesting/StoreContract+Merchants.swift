import PayGridCore
import PayGridStore
import Testing

/// The merchant registrations port: one per provider, its secrets read back as they were given,
/// a new registration replacing the old (a key rotated).
extension StoreContract {
    public func merchants() async throws {
        let store = try await seeded()
        let alipay = MerchantRecord(
            provider: .alipay, code: "ALIPAY", appID: "2021000000000001", merchantID: "2088000000000002",
            providerKeyPEM: "-----BEGIN PUBLIC KEY-----\nALIPAY\n-----END PUBLIC KEY-----\n",
            privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAPPLICATION\n-----END PRIVATE KEY-----\n")
        let wechat = MerchantRecord(
            provider: .wechat, code: "WECHAT", appID: "wxd678efh567hg6787", merchantID: "1230000109",
            providerKeyPEM: "-----BEGIN PUBLIC KEY-----\nPLATFORM\n-----END PUBLIC KEY-----\n",
            privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nMERCHANT\n-----END PRIVATE KEY-----\n",
            apiV3Key: "0123456789abcdef0123456789abcdef", serialNumber: "5157F09EFDC096DE")
        #expect(try await store.read { try $0.merchants() }.isEmpty)
        try await store.write { w in
            try w.saveMerchant(wechat)
            try w.saveMerchant(alipay)
        }
        #expect(try await store.read { try $0.merchants() } == [alipay, wechat], "by provider")
        var rotated = wechat
        rotated.privateKeyPEM = "-----BEGIN PRIVATE KEY-----\nROTATED\n-----END PRIVATE KEY-----\n"
        rotated.serialNumber = "6A0B"
        let replacement = rotated
        try await store.write { try $0.saveMerchant(replacement) }
        #expect(try await store.read { try $0.merchants() } == [alipay, replacement])
        var unnamed = alipay
        unnamed.appID = ""
        let refused = unnamed
        await #expect(throws: (any Error).self) { try await store.write { try $0.saveMerchant(refused) } }
        #expect(try await store.read { try $0.merchants() }.first == alipay, "a refused write changes nothing")
    }
}
