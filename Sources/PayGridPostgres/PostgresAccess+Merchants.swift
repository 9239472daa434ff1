import Foundation
import PayGridCore
import PayGridStore

/// The online payment providers' merchant registrations on PostgreSQL, their secrets sealed.
extension PostgresAccess {
    func merchants() throws -> [MerchantRecord] {
        try rows("SELECT * FROM online_merchants ORDER BY provider COLLATE \"C\"").map { row in
            let provider = OnlineOrder.Provider(rawValue: try row["provider"])!
            let sealedFor = "merchant:\(provider.rawValue)"
            func secret(_ column: String) throws -> String {
                String(decoding: try seal.open(try row.bytes(column), for: sealedFor), as: UTF8.self)
            }
            return MerchantRecord(
                provider: provider, code: try row["code"], appID: try row["app_id"],
                merchantID: try row["merchant_id"], providerKeyPEM: try row["provider_key"],
                privateKeyPEM: try secret("private_key"), apiV3Key: try secret("api_v3_key"),
                serialNumber: try row["serial_number"])
        }
    }

    func saveMerchant(_ m: MerchantRecord) throws {
        try execute("""
            INSERT INTO online_merchants(provider, code, app_id, merchant_id, provider_key, private_key, api_v3_key,
                                         serial_number)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (provider) DO UPDATE SET code = excluded.code, app_id = excluded.app_id,
                merchant_id = excluded.merchant_id, provider_key = excluded.provider_key,
                private_key = excluded.private_key, api_v3_key = excluded.api_v3_key,
                serial_number = excluded.serial_number
            """, [m.provider.rawValue, m.code, m.appID, m.merchantID, m.providerKeyPEM,
                  try seal.seal(Array(m.privateKeyPEM.utf8), for: m.sealedFor).bytea,
                  try seal.seal(Array(m.apiV3Key.utf8), for: m.sealedFor).bytea, m.serialNumber])
    }
}
