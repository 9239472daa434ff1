import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridStore

/// `paygrid merchant alipay|wechat`: keeps the utility's merchant registration with an online
/// payment provider in the external zone's database (its private key and API v3 key sealed at
/// rest); `serve` reads it at start.
struct MerchantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merchant",
        abstract: "Register the utility as a merchant of Alipay or WeChat Pay (external zone's database).",
        subcommands: [Alipay.self, WeChat.self, List.self])

    struct Alipay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Alipay (open platform, RSA2): the app, the receiving account and the keys.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The partner code its payments post under.") var code = "ALIPAY"
        @Option(help: "The application's app_id.") var appId: String
        @Option(help: "The receiving account's seller_id (2088…).") var sellerId: String
        @Option(help: "Alipay's public key (PEM file).") var alipayKey: String
        @Option(help: "The application's private key (PEM file).") var privateKey: String

        func run() async throws {
            try await MerchantCommand.register(MerchantRecord(
                provider: .alipay, code: code, appID: appId, merchantID: sellerId,
                providerKeyPEM: try MerchantCommand.text(alipayKey),
                privateKeyPEM: try MerchantCommand.text(privateKey)),
                options: storeOptions)
        }
    }

    struct WeChat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wechat", abstract: "WeChat Pay (API v3): merchant and app ids, keys and certificate serial.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The partner code its payments post under.") var code = "WECHAT"
        @Option(help: "The merchant id (mchid).") var merchantId: String
        @Option(help: "The application's appid.") var appId: String
        @Option(help: "The platform's public key (PEM file).") var platformKey: String
        @Option(help: "The merchant's private key (PEM file).") var privateKey: String
        @Option(help: "A file holding the 32-character API v3 key.") var apiV3KeyFile: String
        @Option(help: "The serial number of the merchant's certificate.") var serialNumber: String

        func run() async throws {
            try await MerchantCommand.register(MerchantRecord(
                provider: .wechat, code: code, appID: appId, merchantID: merchantId,
                providerKeyPEM: try MerchantCommand.text(platformKey),
                privateKeyPEM: try MerchantCommand.text(privateKey),
                apiV3Key: try MerchantCommand.text(apiV3KeyFile).trimmingCharacters(in: .whitespacesAndNewlines),
                serialNumber: serialNumber), options: storeOptions)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The registrations kept (never their secrets).")
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.openStore()
            for merchant in try await store.read({ try $0.merchants() }) {
                print("\(merchant.provider.rawValue) \(merchant.code) app \(merchant.appID) "
                      + "merchant \(merchant.merchantID)")
            }
        }
    }

    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func register(_ record: MerchantRecord, options: StoreOptions) async throws {
        let store = try await options.openStore()
        do {
            try await OnlineMerchants.register(record, in: store)
        } catch let rejection as any BusinessRejection {
            throw ValidationError("\(rejection.code): \(rejection.message)")
        }
        print("\(record.provider.rawValue) registered as \(record.code); its secrets are sealed in the database")
    }
}
