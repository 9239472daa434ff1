import Foundation
import Hummingbird
import PayGridCore
import PayGridServices

/// The cashier's shift on the pages: open it with a float, hand cash to the head cashier, and close
/// it with a count by denomination — the over/short shown before the cashier confirms.
struct ShiftPages {
    let backend: Backend
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.post("counter/shift", use: open)
        pages.post("counter/shift/handover", use: handOver)
        pages.get("counter/shift/close", use: countSheet)
        pages.post("counter/shift/close/check", use: check)
        pages.post("counter/shift/close", use: close)
        pages.get("counter/shifts/{shift_id}", use: shift)
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.workShift)
        let float = try ShiftRoutes.amount(visit.form["opening_float"] ?? "", allowZero: true)
        _ = try await backend.shifts.open(by: actor, openingFloat: float, claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter")
    }

    @Sendable func handOver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.workShift)
        let amount = try ShiftRoutes.amount(visit.form["amount"] ?? "", allowZero: false)
        let shift = try await backend.shifts.current(by: actor)
        _ = try await backend.shifts.handOver(shift.shift_id, amount: amount, by: actor,
                                              claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter")
    }

    /// The count sheet: one line per note and coin, the card slips' total, and the drawer expected.
    /// `?shift=`: another cashier's shift, which their outlet's supervisor may count and close.
    @Sendable func countSheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.workShift)
        let shift = try await counted(request.uri.queryParameters.get("shift"), by: actor)
        return templates.render("shift-close", try Self.sheet(shift, pieces: [:], cardSlips: ""),
                                frame: visit.frame(request))
    }

    /// The count checked by the close rule without closing: counted, expected, over/short, card
    /// difference, and a button that closes with exactly this count.
    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.workShift)
        let (count, slips) = try Self.count(visit.form)
        let shift = try await counted(visit.form["shift_id"], by: actor)
        let preview = try await backend.shifts.closingPreview(shift.shift_id, count: count, cardSlips: slips, by: actor)
        var values = try Self.sheet(shift, pieces: visit.form, cardSlips: visit.form["card_slips"] ?? "")
        values["preview"] = try PageValues.of(preview)
        values["over"] = preview.over_short.map { !$0.hasPrefix("-") && $0 != "0.00" } ?? false
        values["short"] = preview.over_short?.hasPrefix("-") ?? false
        values["close_key"] = UUID().uuidString
        return templates.render("shift-close", values, frame: visit.frame(request))
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.workShift)
        guard let id = visit.form["shift_id"] else { throw ShiftError.notFound }
        let (count, slips) = try Self.count(visit.form)
        // The expected cash the check showed: the close is refused if the shift moved since.
        let checked = try visit.form["expected_cash"].map { try ShiftRoutes.amount($0, allowZero: true) }
        let closed = try await backend.shifts.close(id, count: count, cardSlips: slips, checkedExpected: checked,
                                                    by: actor, claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter/shifts/\(closed.shift_id)")
    }

    /// The shift being counted: the one named (whose access `Shifts` checks), else the operator's own.
    private func counted(_ id: String?, by actor: Operator) async throws -> ShiftView {
        guard let id, !id.isEmpty else { return try await backend.shifts.current(by: actor) }
        return try await backend.shifts.view(id, by: actor)
    }

    /// A shift's totals and, once closed, its count and differences.
    @Sendable func shift(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.viewCustomers)
        let view = try await backend.shifts.view(try context.parameters.require("shift_id"), by: actor)
        var values = templates.words(try PageValues.of(view) as? [String: Any] ?? [:], ["state"], visit.language)
        values["closed"] = view.state == "closed"
        return templates.render("shift", values, frame: visit.frame(request))
    }

    /// The form field of a denomination's count.
    static func field(_ denomination: Denomination) -> String { "pieces_\(denomination.label)" }

    /// The count as the sheet sends it: an empty line is none of that note; the rest is checked
    /// by `CashCount(labelled:)` like the API's count.
    static func count(_ form: [String: String]) throws -> (CashCount, Money) {
        let labelled = try Denomination.allCases.map { denomination -> (label: String, count: Int) in
            let text = (form[field(denomination)] ?? "").trimmingCharacters(in: .whitespaces)
            let digits = text.allSatisfy { $0.isASCII && $0.isNumber }
            guard let pieces = text.isEmpty ? 0 : digits ? Int(text) : nil else {
                throw ShiftError.countInvalid("count of \(denomination.label) must be a whole number")
            }
            return (denomination.label, pieces)
        }
        let slips = (form["card_slips"] ?? "").trimmingCharacters(in: .whitespaces)
        return (try CashCount(labelled: labelled),
                try ShiftRoutes.amount(slips.isEmpty ? "0" : slips, allowZero: true))
    }

    private static func sheet(_ shift: ShiftView, pieces: [String: String], cardSlips: String) throws
        -> [String: Any]
    {
        let lines: [[String: Any]] = Denomination.allCases.map { denomination in
            ["label": denomination.label, "field": field(denomination), "fen": denomination.rawValue,
             "pieces": pieces[field(denomination)] ?? ""]
        }
        return ["shift": try PageValues.of(shift), "lines": lines, "card_slips": cardSlips]
    }
}
