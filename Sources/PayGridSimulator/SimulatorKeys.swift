import CryptoExtras
import PayGridChannels

/// The keys of both sides of the simulated providers: the providers' own (Alipay's key, WeChat
/// Pay's platform key) and the utility's (its Alipay application key, its WeChat Pay merchant key,
/// the API v3 key they share), with the ids that go with them. `merchants` is PayGrid's half.
public struct SimulatorKeys: Sendable {
    public var alipay: _RSA.Signing.PrivateKey
    public var platform: _RSA.Signing.PrivateKey
    public var application: _RSA.Signing.PrivateKey
    public var merchant: _RSA.Signing.PrivateKey
    public var apiV3Key: [UInt8]
    public var appID = "2021000000000001", sellerID = "2088000000000002"
    public var merchantID = "1230000109", weChatAppID = "wxd678efh567hg6787"
    public var merchantSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"

    /// New 2048-bit keys and a random API v3 key.
    public static func generate() throws -> SimulatorKeys {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        return SimulatorKeys(
            alipay: try _RSA.Signing.PrivateKey(keySize: .bits2048),
            platform: try _RSA.Signing.PrivateKey(keySize: .bits2048),
            application: try _RSA.Signing.PrivateKey(keySize: .bits2048),
            merchant: try _RSA.Signing.PrivateKey(keySize: .bits2048),
            apiV3Key: (0..<32).map { _ in letters.randomElement()! })
    }

    /// What PayGrid is configured with to take payments through the simulated providers.
    public var merchants: OnlineMerchants {
        OnlineMerchants(
            alipay: AlipayMerchant(appID: appID, sellerID: sellerID, alipayKey: alipay.publicKey,
                                   privateKey: application),
            wechat: WeChatMerchant(merchantID: merchantID, appID: weChatAppID, platformKey: platform.publicKey,
                                   apiV3Key: apiV3Key, privateKey: merchant, serialNumber: merchantSerial))
    }
}
