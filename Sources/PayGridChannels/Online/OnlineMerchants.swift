import CryptoExtras
import PayGridCore
import PayGridStore

/// The utility's merchant registration with Alipay (open platform, RSA2): the application and the
/// account that receives the money, Alipay's public key for its notices and answers, and the
/// application's private key for PayGrid's requests. Its payments post under the partner `code`.
public struct AlipayMerchant: Sendable {
    public var code: String
    public var appID: String
    /// The receiving account (`seller_id`, 2088…).
    public var sellerID: String
    public var alipayKey: _RSA.Signing.PublicKey
    public var privateKey: _RSA.Signing.PrivateKey

    public init(code: String = "ALIPAY", appID: String, sellerID: String, alipayKey: _RSA.Signing.PublicKey,
                privateKey: _RSA.Signing.PrivateKey) {
        self.code = code
        self.appID = appID
        self.sellerID = sellerID
        self.alipayKey = alipayKey
        self.privateKey = privateKey
    }
}

/// The utility's merchant registration with WeChat Pay (API v3): merchant and application ids,
/// the platform's public key for callbacks and answers, the API v3 key that opens resources, and
/// the merchant's private key and certificate serial for PayGrid's requests.
public struct WeChatMerchant: Sendable {
    public var code: String
    public var merchantID: String
    public var appID: String
    public var platformKey: _RSA.Signing.PublicKey
    /// 32 bytes.
    public var apiV3Key: [UInt8]
    public var privateKey: _RSA.Signing.PrivateKey
    public var serialNumber: String

    public init(code: String = "WECHAT", merchantID: String, appID: String, platformKey: _RSA.Signing.PublicKey,
                apiV3Key: [UInt8], privateKey: _RSA.Signing.PrivateKey, serialNumber: String) {
        self.code = code
        self.merchantID = merchantID
        self.appID = appID
        self.platformKey = platformKey
        self.apiV3Key = apiV3Key
        self.privateKey = privateKey
        self.serialNumber = serialNumber
    }
}

/// The providers the utility takes online payments through; a provider left out is refused.
public struct OnlineMerchants: Sendable {
    public var alipay: AlipayMerchant?
    public var wechat: WeChatMerchant?

    public init(alipay: AlipayMerchant? = nil, wechat: WeChatMerchant? = nil) {
        self.alipay = alipay
        self.wechat = wechat
    }

    /// Whether no provider is configured.
    public var isEmpty: Bool { alipay == nil && wechat == nil }

    /// The partner code a provider's payments post under; nil when it is not configured.
    public func partnerCode(_ provider: OnlineOrder.Provider) -> String? {
        switch provider {
        case .alipay: alipay?.code
        case .wechat: wechat?.code
        }
    }
}

extension OnlineMerchants {
    /// The registrations kept in the external zone's database, their keys read.
    public static func load(from store: any Store) async throws -> OnlineMerchants {
        var merchants = OnlineMerchants()
        for record in try await store.readCommitted({ try $0.merchants() }) {
            switch record.provider {
            case .alipay:
                merchants.alipay = AlipayMerchant(
                    code: record.code, appID: record.appID, sellerID: record.merchantID,
                    alipayKey: try SHA256WithRSA.publicKey(pem: record.providerKeyPEM),
                    privateKey: try SHA256WithRSA.privateKey(pem: record.privateKeyPEM))
            case .wechat:
                merchants.wechat = WeChatMerchant(
                    code: record.code, merchantID: record.merchantID, appID: record.appID,
                    platformKey: try SHA256WithRSA.publicKey(pem: record.providerKeyPEM),
                    apiV3Key: Array(record.apiV3Key.utf8),
                    privateKey: try SHA256WithRSA.privateKey(pem: record.privateKeyPEM),
                    serialNumber: record.serialNumber)
            }
        }
        return merchants
    }

    /// Keeps a provider's registration (replacing the one it had) once its keys and ids hold: keys
    /// that are RSA keys of 2048 bits or more in PEM, a partner code, and for WeChat Pay a 32-byte
    /// API v3 key and the certificate's serial number. Its secrets are sealed by the store.
    public static func register(_ record: MerchantRecord, in store: any Store) async throws {
        _ = try SHA256WithRSA.publicKey(pem: record.providerKeyPEM)
        _ = try SHA256WithRSA.privateKey(pem: record.privateKeyPEM)
        guard PartnerCode.isWellFormed(record.code) else {
            throw BankError.fieldInvalid("the partner code must be 2 to 16 capital letters or digits")
        }
        guard !record.appID.isEmpty, !record.merchantID.isEmpty else {
            throw BankError.fieldInvalid("the app id and merchant id are required")
        }
        if record.provider == .wechat {
            guard record.apiV3Key.utf8.count == 32 else {
                throw ProviderMessageError.keyInvalid("the API v3 key must be 32 bytes")
            }
            guard !record.serialNumber.isEmpty else {
                throw BankError.fieldInvalid("WeChat Pay needs the merchant certificate's serial number")
            }
        }
        try await store.write { try $0.saveMerchant(record) }
    }
}
