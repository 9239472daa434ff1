@testable import PayGridHTTP
import Testing

/// The unknown-field check remembers each request type's shape; what it learnt from good bodies
/// must never let a misspelt field through.
@Suite struct JSONBodyShapeTests {
    func decode(tenders: String) throws -> PaymentRequestDTO {
        let text = #"{"account_no":"3100000001","channel":"counter","tenders":["# + tenders + "]}"
        return try JSONBody.decode(PaymentRequestDTO.self, from: Array(text.utf8))
    }

    @Test func aShapeLearntFromGoodBodiesStillRefusesAMisspeltField() throws {
        for _ in 0..<3 {
            _ = try decode(tenders: #"{"method":"cash","amount":"1"}"#)
        }
        #expect(throws: RequestError.self) {
            try decode(tenders: #"{"method":"cash","amount":"1","tendred":"5"}"#)
        }
    }

    @Test(arguments: [("tenders[12].amount", "tenders[].amount"), ("a.b", "a.b"), ("x[1][2]", "x[][]")])
    func listIndicesAreGeneralised(path: String, general: String) {
        #expect(BodyShape.general(path) == general)
    }
}
