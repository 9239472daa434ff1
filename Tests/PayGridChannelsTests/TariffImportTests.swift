import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// The tariff as dated rule data (阶梯电价): a new version from the pricing department's file prices
/// sales from its day on, never one already made; a bad file is refused whole, line by line.
@Suite struct TariffImportTests {
    static let header = PrepaidVending.tariffHeader.joined(separator: ",")

    /// Version 2 from `day`: residential ¥0.5083 / ¥0.5583 / ¥0.8083, the others ¥0.6700.
    static func file(version: Int = 2, from day: String) -> [UInt8] {
        Array(("""
            \(header)
            \(version),\(day),residential,2160,0.5083
            \(version),\(day),residential,4200,0.5583
            \(version),\(day),residential,,0.8083
            \(version),\(day),commercial,,0.67
            \(version),\(day),industrial,,0.67
            \(version),\(day),agricultural,,0.67

            """).utf8)
    }

    @Test(arguments: StoreKind.allCases)
    func aNewVersionPricesSalesFromItsDayOn(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            let tomorrow = (world.clock.today + 1).description
            let added = try await desk.vending.importTariff(csv: Self.file(from: tomorrow), by: world.admin,
                                                            claim: world.claim("t", by: world.admin, body: "2"))
            #expect(added.version == 2)
            #expect(added.tiers[.residential]?.map(\.priceTenThousandthsYuan) == [5_083, 5_583, 8_083])
            #expect(try await desk.vending.importTariff(csv: Self.file(from: tomorrow), by: world.admin,
                                                        claim: world.claim("t", by: world.admin, body: "2")) == added)
            #expect(try await desk.vending.tariffVersions(by: world.cashier).map(\.version) == [1, 2])
            let today = try await desk.sell("100.00").value
            #expect(today.quote.tariffVersion == 1)
            #expect(today.quote.lines.first?.priceTenThousandthsYuan == 4_883)
            world.clock.advance(days: 1)
            let later = try await desk.sell("50.00").value
            #expect(later.quote.tariffVersion == 2)
            #expect(later.quote.lines.first?.priceTenThousandthsYuan == 5_083)
            #expect(try await desk.vending.meter(number: "MP9").tariffVersion == 2)
        }
    }

    @Test func aBadFileIsRefusedWholeAndChangesNothing() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            let tomorrow = (world.clock.today + 1).description, today = world.clock.today.description
            func refused(_ text: String, by actor: Operator? = nil) async -> [String] {
                do {
                    _ = try await desk.vending.importTariff(csv: Array(text.utf8), by: actor ?? world.admin)
                    return []
                } catch let rejected as ImportRejected {
                    return rejected.problems.map(\.description)
                } catch {
                    return ["\(error)"]
                }
            }
            let good = String(decoding: Self.file(from: tomorrow), as: UTF8.self)
            #expect(await refused(good.replacingOccurrences(of: ",0.5583", with: ",0.55831")).count == 1)
            #expect(await refused(good.replacingOccurrences(of: ",4200,", with: ",2000,")).count == 1)
            #expect(await refused(good.replacingOccurrences(of: ",residential,,", with: ",residential,9000,"))
                .first?.contains("every category") == true)
            #expect(await refused(good.replacingOccurrences(of: "agricultural", with: "farm")).count == 1)
            let mixed = good.replacingOccurrences(of: "2,\(tomorrow),commercial", with: "3,\(tomorrow),commercial")
            #expect(await refused(mixed).first?.contains("one version") == true)
            #expect(await refused(String(decoding: Self.file(version: 3, from: tomorrow), as: UTF8.self))
                .first?.contains("the next is 2") == true)
            #expect(await refused(String(decoding: Self.file(from: today), as: UTF8.self))
                .first?.contains("after today") == true)
            #expect(await refused(Self.header + "\n") == ["line 1: no tiers"])
            #expect(await refused(good, by: world.cashier) == ["\(AuthError.forbidden)"])
            #expect(try await desk.vending.tariffVersions(by: world.cashier) == [.standard])
        }
    }

    @Test func pricesAreReadInYuanWithAtMostFourDecimals() {
        #expect(TariffTier.price("0.4883") == 4_883)
        #expect(TariffTier.price("0.5") == 5_000)
        #expect(TariffTier.price("1") == 10_000)
        #expect(TariffTier.price("12.34") == 123_400)
        for bad in ["0", "0.0000", "0.48831", "-0.5", "1e2", ".5", "5.", "1234.5", "０.5", ""] {
            #expect(TariffTier.price(bad) == nil, "\(bad)")
        }
    }
}
