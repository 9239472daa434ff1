import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore

/// Finance's direct-debit desk (代扣): the runs, newest first (one bank's when chosen), each with
/// what became of its instructions; making a run; a run's page with its pain.008 (for one of the
/// collection accounts) and the upload of the bank's answer (pain.002 or camt.054), sent by the
/// page's script as the statements are, after which the page shows what the file applied. The
/// rules are `DirectDebitRuns`' and `DirectDebitResults`'.
struct DirectDebitPages {
    let directDebit: DirectDebitRoutes
    let backend: Backend
    let templates: PageTemplates

    /// Runs shown on the desk: two years of one bank's monthly runs, or some months of several.
    static let runsShownMax = 24

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("finance/direct-debit", use: desk)
        pages.post("finance/direct-debit/runs", use: create)
        pages.get("finance/direct-debit/runs/{bank}/{date}", use: run)
        pages.get("finance/direct-debit/runs/{bank}/{date}/pain008", use: file)
        pages.post("finance/direct-debit/runs/{bank}/{date}/results", use: upload)
    }

    /// The runs (`?bank=` one bank's) with their tallies, and the form to make one.
    @Sendable func desk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.importData)
        let bank = request.uri.queryParameters.get("bank").flatMap { $0.isEmpty ? nil : $0 }
        var rows: [[String: Any]] = []
        for run in try await directDebit.runs.list(bank: bank, by: actor).prefix(Self.runsShownMax) {
            let report = try await directDebit.runs.report(bank: run.bankCode, collectionDate: run.collectionDate,
                                                           by: actor)
            rows.append(values(report, visit))
        }
        let banks = try await directDebit.mandates.banks(by: actor)
        return templates.render("direct-debit", [
            "runs": rows, "no_runs": rows.isEmpty, "states": stateHeaders(visit),
            "banks": banks.map { ["code": $0.code, "name": $0.name, "selected": $0.code == bank] },
            "today": backend.clock.today.description, "run_key": UUID().uuidString,
        ], frame: visit.frame(request))
    }

    /// Makes the run the form names (the form's key answers a second send with the same run).
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let bank = visit.form["bank"] ?? ""
        guard let date = try dateField(visit.form["collection_date"], "collection_date") else {
            throw RequestError.invalidField("collection_date is required")
        }
        let made = try await directDebit.runs.create(bank: bank, collectionDate: date, by: visit.account,
                                                     claim: try visit.claim(request))
        return PageRedirect.to(Self.path(made.run))
    }

    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let (bank, date) = try DirectDebitRoutes.run(context)
        return try await runPage(bank, date, visit, request, applied: nil)
    }

    /// The run's pain.008 for `?creditor_account=`, streamed as the API streams it.
    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await directDebit.download(request, context, by: try context.pageVisit().account)
    }

    /// The bank's result file as the body (its form token in `X-CSRF-Token`, the form's key in
    /// `?key=`): answers the run's page with what the file applied; the same key and file answer
    /// the same summary again, and nothing is applied twice.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.importData)
        let (bank, date) = try DirectDebitRoutes.run(context)
        let bytes = try await request.bodyBytes(limit: 2 * 1024 * 1024 * 1024)
        let claim = IdempotencyClaim(
            scope: actor.id.rawValue, key: try IdempotencyError.validate(request.uri.queryParameters.get("key")),
            method: "POST", target: request.uri.path, body: bytes)
        let summary = try await directDebit.results.apply(bytes, by: actor, claim: claim, run: (bank, date))
        return try await runPage(bank, date, visit, request, applied: summary)
    }

    private func runPage(_ bank: String, _ date: Day, _ visit: PageVisit, _ request: Request,
                         applied: DebitResultSummary?) async throws -> Response {
        let actor = try visit.actor(.viewLedger)
        let report = try await directDebit.runs.report(bank: bank, collectionDate: date, by: actor)
        var values: [String: Any] = [
            "run": self.values(report, visit), "states": stateHeaders(visit), "upload_key": UUID().uuidString,
            "collection_accounts": try await backend.collectionAccounts.list().map {
                ["number": $0.number, "name": $0.name, "bank": $0.bank]
            },
        ]
        if let applied {
            var summary = try PageValues.of(applied) as? [String: Any] ?? [:]
            summary["has_unknown"] = !applied.unknown.isEmpty
            summary["has_refused"] = !applied.refused.isEmpty
            values["applied"] = summary
        }
        return templates.render("debit-run", values, frame: visit.frame(request))
    }

    /// A run's row: its totals, and the count and total of its instructions in each state.
    private func values(_ report: DebitRunReport, _ visit: PageVisit) -> [String: Any] {
        let run = report.run
        return [
            "bank": run.bankCode, "collection_date": run.collectionDate.description, "message_id": run.messageID,
            "count": run.count, "total": run.total.yuanString, "href": Self.path(run),
            "collected": report.collected.total.yuanString,
            "tallies": DebitInstruction.State.allCases.map { state -> [String: Any] in
                let tally = report.tallies[state] ?? DebitTally()
                return ["state": state.rawValue, "count": tally.count, "total": tally.total.yuanString]
            },
        ]
    }

    private func stateHeaders(_ visit: PageVisit) -> [[String: String]] {
        DebitInstruction.State.allCases.map {
            ["state": $0.rawValue, "word": templates.label("debit_" + $0.rawValue, visit.language)]
        }
    }

    static func path(_ run: DebitRun) -> String {
        "/ui/finance/direct-debit/runs/\(run.bankCode)/\(run.collectionDate)"
    }
}
