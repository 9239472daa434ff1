import Foundation
import PayGridTesting
import Testing

@Suite struct OpenAPITests {
    static let routes = [
        "/api/v1/sessions": "post", "/api/v1/customers": "get", "/api/v1/customers/{account_no}": "get",
        "/api/v1/customers/{account_no}/bills": "get", "/api/v1/customers/import": "post", "/api/v1/payments": "post",
        "/api/v1/payments/{payment_id}": "get", "/api/v1/payments/{payment_id}/reversal": "post",
        "/api/v1/bills/import": "post", "/api/v1/ledger/trial-balance": "get", "/api/v1/openapi.json": "get",
        "/healthz": "get", "/metrics": "get",
        "/api/v1/shifts": "post", "/api/v1/shifts/current": "get", "/api/v1/shifts/{shift_id}": "get",
        "/api/v1/shifts/{shift_id}/handovers": "post", "/api/v1/shifts/{shift_id}/close": "post",
        "/api/v1/invoices/batches": "post", "/api/v1/invoices/issues": "post", "/api/v1/invoices/returns": "post",
        "/api/v1/invoices/resync": "post", "/api/v1/invoices/{code}/{number}/void": "post", "/api/v1/invoices/inventory": "get",
        "/api/v1/invoices/usage": "get", "/api/v1/invoices/resyncs": "get", "/api/v1/payments/{payment_id}/invoice": "post",
        "/api/v1/payments/{payment_id}/invoice/reprint": "post", "/api/v1/payments/{payment_id}/receipt": "get",
        "/bank/v1/query": "post", "/bank/v1/pay": "post", "/bank/v1/reverse": "post", "/bank/v1/status": "post", "/bank/v1/daily-file": "get",
        "/api/v1/banks": "post", "/api/v1/banks/{code}/suspend": "post", "/api/v1/banks/{code}/activate": "post",
        "/api/v1/agents": "post", "/api/v1/agents/{code}/deposits": "post", "/api/v1/agents/{code}/suspend": "post",
        "/api/v1/agents/{code}/activate": "post", "/api/v1/agent/collections": "post", "/api/v1/agent/collections/{serial}/reversal": "post",
        "/api/v1/agent/settlement": "get", "/api/v1/agent/collections/{serial}/invoice": "post",
        "/api/v1/agent/collections/{serial}/invoice/reprint": "post", "/api/v1/agents/{code}/invoice-usage": "get",
        "/api/v1/vouchers/batches": "post", "/api/v1/vouchers/redemptions": "post", "/api/v1/vouchers/expire": "post",
        "/api/v1/vouchers/{serial}/sale": "post", "/api/v1/vouchers/{serial}/unlock": "post", "/api/v1/vouchers/{serial}/void": "post",
        "/api/v1/vouchers/{serial}/extension": "post", "/api/v1/vouchers/{serial}/refund": "post",
        "/api/v1/ivr/sessions": "post", "/api/v1/ivr/sessions/{session_id}/digits": "post",
        "/api/v1/reconciliations/statements": "post", "/api/v1/reports/daily/{date}": "get", "/api/v1/reports/clearing-ageing/{date}": "get", "/api/v1/reconciliations/{outlet_id}/{date}/items/{item_id}/resolution": "post", "/api/v1/reconciliations/{outlet_id}/{date}": "get",
        "/api/v1/reconciliations/deposits": "post", "/api/v1/reconciliations/deposits/{account}/{date}": "get",
        "/api/v1/reconciliations/deposits/{account}/{date}/items/{item_id}/resolution": "post", "/api/v1/reconciliations/in-transit": "get",
        "/api/v1/reconciliations/approvals": "get", "/api/v1/collection-accounts": "post",
        "/api/v1/business-days/{outlet_id}": "get", "/api/v1/business-days/{outlet_id}/close": "post", "/api/v1/remittances": "post",
    ]

    @Test func describesEveryRoute() async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(.get, "/api/v1/openapi.json")
            #expect(reply.json["openapi"] as? String == "3.1.0")
            let paths = try #require(reply.json["paths"] as? [String: [String: Any]])
            for (path, method) in Self.routes { #expect(paths[path]?[method] != nil, "\(method) \(path)") }
            #expect(paths.count == Self.routes.count)
        }
    }

    /// Validates the served document with an independent validator (openapi-spec-validator).
    @Test(.enabled(if: PythonTool.has("openapi_spec_validator"))) func validatesAgainstTheOpenAPISchema() async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(.get, "/api/v1/openapi.json")
            let file = TemporaryDirectory.make().path + "/openapi.json"
            try reply.text.write(toFile: file, atomically: true, encoding: .utf8)
            let (status, text) = try PythonTool.run(["-m", "openapi_spec_validator", file])
            #expect(status == 0, "\(text)")
        }
    }
}
