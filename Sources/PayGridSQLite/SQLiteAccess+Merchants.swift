import Foundation
import GRDB
import PayGridCore
import PayGridStore

/// The online payment providers' merchant registrations on SQLite, their secrets sealed.
extension SQLiteAccess {
    func merchants() throws -> [MerchantRecord] {
        try rows("SELECT * FROM online_merchants ORDER BY provider").map { row in
            let provider = OnlineOrder.Provider(rawValue: row["provider"])!, sealedFor = "merchant:\(provider.rawValue)"
            return MerchantRecord(
                provider: provider, code: row["code"], appID: row["app_id"], merchantID: row["merchant_id"],
                providerKeyPEM: row["provider_key"],
                privateKeyPEM: String(decoding: try openedSecret([UInt8](row["private_key"] as Data), for: sealedFor),
                                      as: UTF8.self),
                apiV3Key: String(decoding: try openedSecret([UInt8](row["api_v3_key"] as Data), for: sealedFor),
                                 as: UTF8.self),
                serialNumber: row["serial_number"])
        }
    }

    func saveMerchant(_ m: MerchantRecord) throws {
        try execute("""
            INSERT INTO online_merchants(provider, code, app_id, merchant_id, provider_key, private_key, api_v3_key,
                                         serial_number)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(provider) DO UPDATE SET code = excluded.code, app_id = excluded.app_id,
                merchant_id = excluded.merchant_id, provider_key = excluded.provider_key,
                private_key = excluded.private_key, api_v3_key = excluded.api_v3_key,
                serial_number = excluded.serial_number
            """, [m.provider.rawValue, m.code, m.appID, m.merchantID, m.providerKeyPEM,
                  Data(try sealed(Array(m.privateKeyPEM.utf8), for: m.sealedFor)),
                  Data(try sealed(Array(m.apiV3Key.utf8), for: m.sealedFor)), m.serialNumber])
    }

    /// A merchant's secret as it was given (sealed whenever the store has a seal).
    func openedSecret(_ stored: [UInt8], for owner: String) throws -> [UInt8] {
        try seal.map { try $0.open(stored, for: owner) } ?? stored
    }
}
