import PayGridCore

/// The utility's merchant registration with an online payment provider, as the external zone's
/// database keeps it: the ids, the provider's public key (PEM), and the utility's own secrets —
/// its private key (PEM) and, for WeChat Pay, the API v3 key — which the store seals at rest with
/// the secrets key kept outside the database, as it seals partners' keys.
public struct MerchantRecord: Hashable, Sendable {
    public var provider: OnlineOrder.Provider
    /// The partner code its payments post under (`ALIPAY`, `WECHAT`).
    public var code: String
    /// Alipay's `app_id`, WeChat Pay's `appid`.
    public var appID: String
    /// Alipay's `seller_id`, WeChat Pay's `mchid`.
    public var merchantID: String
    public var providerKeyPEM: String
    public var privateKeyPEM: String
    /// WeChat Pay's API v3 key (32 characters); empty for Alipay.
    public var apiV3Key: String
    /// The serial number of the merchant's certificate (WeChat Pay); empty for Alipay.
    public var serialNumber: String

    public init(provider: OnlineOrder.Provider, code: String, appID: String, merchantID: String,
                providerKeyPEM: String, privateKeyPEM: String, apiV3Key: String = "", serialNumber: String = "") {
        self.provider = provider
        self.code = code
        self.appID = appID
        self.merchantID = merchantID
        self.providerKeyPEM = providerKeyPEM
        self.privateKeyPEM = privateKeyPEM
        self.apiV3Key = apiV3Key
        self.serialNumber = serialNumber
    }

    /// What the secrets are sealed for (their associated data): a sealed key copied onto another
    /// provider's row does not open.
    public var sealedFor: String { "merchant:\(provider.rawValue)" }
}

/// Reads of the merchant registrations.
public protocol MerchantsReader {
    /// Every provider's registration, by provider.
    func merchants() throws -> [MerchantRecord]
}

/// Writes of the same, inside the store's transaction.
public protocol MerchantsWriter: MerchantsReader {
    /// Records a provider's registration, replacing the one it had (keys are rotated so).
    func saveMerchant(_ merchant: MerchantRecord) throws
}
