import Foundation
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The text receipt for 58 mm printers: 32 display columns, a Chinese character taking two.
@Suite struct ReceiptTextTests {
    static let name = "欧阳娜娜（上官婉儿）之家庭用电户"
    static let address = "浙江省杭州市西湖区文三路一百二十八号华星时代广场A座1708室（东侧电梯口右转）"

    /// The value of a field: its first line after the label, and the lines indented under it.
    func field(_ label: String, in lines: [String]) throws -> String {
        let first = try #require(lines.firstIndex { $0.hasPrefix(label + " ") })
        let indent = String(repeating: " ", count: DisplayWidth.columns(of: label) + 1)
        var value = String(lines[first].dropFirst(label.count + 1))
        for line in lines[(first + 1)...] {
            guard line.hasPrefix(indent) else { break }
            value += line.dropFirst(indent.count)
        }
        return value
    }

    @Test(arguments: StoreKind.allCases)
    func longChineseNamesAndAddressesWrapWithinThirtyTwoColumns(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let customers =
                Imports.customerHeader.joined(separator: ",")
                + "\n3100000099,\(Self.name),\(Self.address),residential,postpaid,M00000099\n"
            _ = try await world.imports.customers(csv: Array(customers.utf8))
            let bills = Imports.billHeader.joined(separator: ",") + "\n3100000099,2026-10,350.00,2026-11-25\n"
            _ = try await world.imports.bills(csv: Array(bills.utf8))
            let request = try PaymentRequest(
                accountNumber: "3100000099", channel: "counter",
                tenders: [
                    TenderInput(method: "cash", amount: "100.00", tendered: "200.00"),
                    TenderInput(
                        method: "card", amount: "250.00", maskedPAN: "622848******1234",
                        approvalCode: "A1", terminalID: "T1", reference: "R1"),
                ],
                accepting: [.counter], maximum: .yuan(1_000_000))
            let posted = try await world.payments.post(request, by: world.cashier, claim: world.claim("p1"))
            let id = posted.value.id.rawValue
            let receipt = try await world.backend.invoices.receipt(PaymentID(rawValue: id), by: world.cashier)

            let lines = receipt.narrowText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in lines {
                #expect(DisplayWidth.columns(of: line) <= 32, "\(line)")
            }
            #expect(try field("户名", in: lines) == Self.name)
            #expect(try field("地址", in: lines) == Self.address)
            #expect(try field("大写", in: lines) == "叁佰伍拾元整")
            let total = try #require(lines.first { $0.hasPrefix("合计") })
            #expect(DisplayWidth.columns(of: total) == 32)
            #expect(total.hasSuffix(" ¥350.00"))
            #expect(lines.contains("找零" + String(repeating: " ", count: 22) + "100.00"))
        }
    }
}
