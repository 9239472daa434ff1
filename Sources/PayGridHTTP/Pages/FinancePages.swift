import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Finance's (财务) back office: a statement imported by upload (the page's script shows its
/// progress), the reconciliation worklists of partners' days and of collection accounts with their
/// resolutions, the deposits still in transit, and the daily report with its chart and CSV.
/// The rules are `Reconciliations`' and `Reports`'.
struct FinancePages {
    let reconciliations: Reconciliations
    let reports: Reports
    let clock: any WallClock
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("finance", use: desk)
        pages.post("finance/statements", use: upload)
        pages.get("finance/worklist", use: openWorklist)
        pages.get("finance/reconciliations/{outlet_id}/{date}", use: worklist)
        pages.post("finance/reconciliations/{outlet_id}/{date}/items/{item_id}", use: resolve)
        pages.get("finance/deposits/{account}/{date}", use: depositWorklist)
        pages.post("finance/deposits/{account}/{date}/items/{item_id}", use: resolveDeposit)
        pages.get("finance/in-transit", use: inTransit)
        pages.get("finance/daily", use: daily)
        pages.get("finance/daily.csv", use: dailyCSV)
    }

    /// The upload form, and the ways to the worklists and reports.
    @Sendable func desk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.importData)
        return templates.render("finance", ["today": clock.today.description, "upload_key": UUID().uuidString],
                                frame: visit.frame(request))
    }

    /// A statement file as the body (`kind=statement`: a bank's or an agent's day, its partner and
    /// day read from the file unless given; `kind=deposits`: a collection account's camt.053 of
    /// `date`); answers where its worklist is, for the page's script to open.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.importData)
        let query = request.uri.queryParameters
        let date = try dateField(query.get("date").flatMap { $0.isEmpty ? nil : $0 }, "date")
        let named = query.get("partner").flatMap { $0.isEmpty ? nil : $0 }
        let bytes = try await request.bodyBytes(limit: 512 * 1024 * 1024)
        // The claim covers what the query chooses too: the same key with another kind, partner or
        // day is a different request, refused rather than answered with the first import.
        let chosen = ["kind", "partner", "date"].map { "\($0)=\(query.get($0) ?? "")" }.joined(separator: "&")
        let claim = IdempotencyClaim(scope: actor.id.rawValue, key: try IdempotencyError.validate(query.get("key")),
                                     method: "POST", target: "\(request.uri.path)?\(chosen)", body: bytes)
        let location: String
        if query.get("kind") == "deposits" {
            guard let date else { throw RequestError.invalidField("date (the statement's day) is required") }
            let report = try await reconciliations.importDeposits(bytes, account: named, date: date, by: actor,
                                                                  claim: claim)
            location = "/ui/finance/deposits/\(report.bank_account)/\(report.statement_date)"
        } else {
            let report = try await reconciliations.importStatement(bytes, partner: named, date: date, by: actor,
                                                                   claim: claim)
            location = "/ui/finance/reconciliations/\(report.outlet_id)/\(report.business_date)"
        }
        return try JSONBody.response(["location": location], status: .created)
    }

    /// The worklist the desk's form names: a partner's day (its outlet, `BANK-…`, `AGENT-…`) or a
    /// collection account's statement day.
    @Sendable func openWorklist(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.pageVisit().actor(.viewLedger)
        let query = request.uri.queryParameters
        guard let date = try dateField(query.get("date"), "date"),
              let scope = query.get("scope")?.trimmingCharacters(in: .whitespaces), !scope.isEmpty,
              let path = scope.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
        else { throw RequestError.invalidField("a worklist needs its partner or account and its date") }
        let kind = query.get("worklist") == "deposits" ? "deposits" : "reconciliations"
        return PageRedirect.to("/ui/finance/\(kind)/\(path)/\(date)")
    }

    @Sendable func worklist(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.viewLedger)
        let date = try Self.date(context)
        let report = try await reconciliations.report(
            outlet: OutletID(rawValue: try context.parameters.require("outlet_id")), date: date)
        let action = "/ui/finance/reconciliations/\(report.outlet_id)/\(report.business_date)"
        return templates.render("worklist", try values(report, action: action, visit), frame: visit.frame(request))
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let (resolution, item) = try Self.resolution(visit, context)
        let outlet = try context.parameters.require("outlet_id"), date = try Self.date(context)
        _ = try await reconciliations.resolve(outlet: OutletID(rawValue: outlet), date: date, item: item, resolution,
                                              by: visit.account, claim: try visit.claim(request))
        return PageRedirect.to("/ui/finance/reconciliations/\(outlet)/\(date)")
    }

    @Sendable func depositWorklist(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.viewLedger)
        let report = try await reconciliations.depositReport(
            account: try context.parameters.require("account"), date: try Self.date(context))
        return templates.render("worklist", try values(report, action: "/ui/finance/deposits/"
                                    + "\(report.bank_account)/\(report.statement_date)", visit, deposits: true),
                                frame: visit.frame(request))
    }

    @Sendable func resolveDeposit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let (resolution, item) = try Self.resolution(visit, context)
        let account = try context.parameters.require("account"), date = try Self.date(context)
        _ = try await reconciliations.resolveDeposit(account: account, date: date, item: item, resolution,
                                                     by: visit.account, claim: try visit.claim(request))
        return PageRedirect.to("/ui/finance/deposits/\(account)/\(date)")
    }

    /// Remittances and float deposits paid in but not yet on a statement, as of `?date=` (today).
    @Sendable func inTransit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.viewLedger)
        let date = try dateField(request.uri.queryParameters.get("date"), "date") ?? clock.today
        let report = try await reconciliations.inTransit(on: date)
        var values = try PageValues.of(report) as? [String: Any] ?? [:]
        values["table"] = PageTable.of(report.table)
        return templates.render("in-transit", values, frame: visit.frame(request))
    }

    /// The day's takings by channel (or `?by=` outlet, cashier, agent): a bar per row and the table.
    @Sendable func daily(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let (report, grouping) = try await dailyReport(request, visit)
        let largest = max(report.rows.map(\.net.fen).max() ?? 0, 1)
        let bars = report.rows.map { row -> [String: Any] in
            ["key": row.key, "net": row.net.yuanString, "percent": max(0, row.net.fen) * 100 / largest]
        }
        let values: [String: Any] = [
            "date": report.date.description, "by": grouping.rawValue, "bars": bars, "table": PageTable.of(report.table),
            "groupings": DailyReport.Grouping.allCases.map { ["name": $0.rawValue, "selected": $0 == grouping] },
        ]
        return templates.render("daily", values, frame: visit.frame(request))
    }

    @Sendable func dailyCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let (report, grouping) = try await dailyReport(request, visit)
        return try ReportFormat.csv.response(report.table.rows, table: report.table,
                                             filename: "daily-\(report.date)-\(grouping.rawValue).csv")
    }

    private func dailyReport(_ request: Request, _ visit: PageVisit) async throws
        -> (DailyReport, DailyReport.Grouping)
    {
        let query = request.uri.queryParameters
        let date = try dateField(query.get("date"), "date") ?? clock.today
        guard let grouping = DailyReport.Grouping(rawValue: query.get("by") ?? "channel") else {
            throw RequestError.invalidField(
                "by must be \(DailyReport.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return (try await reports.daily(date, by: grouping, actor: visit.account), grouping)
    }

    static func date(_ context: AppRequestContext) throws -> Day {
        guard let date = Day(try context.parameters.require("date")) else {
            throw RequestError.invalidField("date must be YYYY-MM-DD")
        }
        return date
    }

    /// The action a resolution form names and the item it is for; who may take it is the use case's.
    static func resolution(_ visit: PageVisit, _ context: AppRequestContext) throws -> (Resolution, Int64) {
        guard let resolution = Resolution(rawValue: visit.form["action"] ?? "") else {
            throw RequestError.invalidField("action must be post_missing, reverse, write_off or approve_write_off")
        }
        guard let item = Int64(try context.parameters.require("item_id")) else { throw ResolutionError.itemNotFound }
        return (resolution, item)
    }

    /// A worklist page's values: the report, its open items each with a fresh form key, and where
    /// their resolutions are posted.
    func values(_ report: some Encodable, action: String, _ visit: PageVisit, deposits: Bool = false) throws
        -> [String: Any]
    {
        var values = try PageValues.of(report) as? [String: Any] ?? [:]
        let items = values["differences"] as? [[String: Any]] ?? []
        values["differences"] = items.map { item -> [String: Any] in
            var item = templates.words(item, ["outcome"], visit.language)
            item["key"] = UUID().uuidString
            item["open"] = (item["resolved"] as? Bool) != true
            item["awaiting"] = item["write_off_requested_by"] is String && item["resolved"] as? Bool != true
            // The buttons offered: a long line may be posted, a short payment reversed (deposit
            // worklists only write off); `Resolution` decides what is allowed.
            item["can_post"] = !deposits && item["outcome"] as? String == MatchKind.long.rawValue
            item["can_reverse"] = !deposits && item["outcome"] as? String == MatchKind.short.rawValue
            return item
        }
        values["action"] = action
        values["deposits"] = deposits
        return values
    }
}

/// A report's table as the pages show it: amounts right-aligned.
enum PageTable {
    static func of(_ table: ReportTable) -> [String: Any] {
        [
            "title": table.title, "header": table.header.enumerated().map {
                ["name": $0.element, "num": table.numericColumns.contains($0.offset)]
            },
            "rows": table.rows.map { row in
                ["cells": row.enumerated().map { cell -> [String: Any] in
                    ["text": cell.element, "num": table.numericColumns.contains(cell.offset)]
                }]
            },
        ]
    }
}
