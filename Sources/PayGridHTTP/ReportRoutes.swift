import Hummingbird
import PayGridCore
import PayGridServices

/// Daily reports (日报) as JSON, or CSV with `?format=csv`.
struct ReportRoutes {
    let reports: Reports

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("reports/daily/{date}", use: daily)
        api.get("reports/clearing-ageing/{date}", use: clearingAgeing)
    }

    /// Each partner's uncleared clearing by age on a day: JSON (`ClearingAgeingDTO`) or its table as CSV.
    @Sendable func clearingAgeing(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let signedIn = context.signedIn else { throw AuthError.unauthenticated }
        guard let date = Day(try context.parameters.require("date")) else {
            throw RequestError.invalidField("date must be YYYY-MM-DD")
        }
        let format = try ReportFormat(request)
        let ageing = try await reports.clearingAgeing(on: date, actor: signedIn)
        return try format.response(ClearingAgeingDTO(ageing), table: ageing.table,
                                   filename: "clearing-ageing-\(date).csv")
    }

    @Sendable func daily(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let signedIn = context.signedIn else { throw AuthError.unauthenticated }
        guard let date = Day(try context.parameters.require("date")) else {
            throw RequestError.invalidField("date must be YYYY-MM-DD")
        }
        let by = request.uri.queryParameters["by"].map(String.init) ?? "outlet"
        guard let grouping = DailyReport.Grouping(rawValue: by) else {
            throw RequestError.invalidField(
                "by must be \(DailyReport.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let format = try ReportFormat(request)
        let table = try await reports.daily(date, by: grouping, actor: signedIn).table
        return try format.response(JSONTable(title: table.title, columns: table.header, rows: table.rows), table: table,
                                   filename: "daily-\(date)-\(grouping.rawValue).csv")
    }

    /// The ageing report on the wire: per partner-clearing account its total, the buckets and each
    /// uncleared day.
    struct ClearingAgeingDTO: Encodable {
        struct UnclearedDay: Encodable {
            var business_date: String
            var age_days: Int
            var collected: String
            var settled: String
            var uncleared: String
            /// A transfer claims the day but its difference waits on the deposit worklist.
            var on_worklist: Bool
        }

        struct Account: Encodable {
            var account: String
            var channel: String
            var outlet_id: String?
            var settlement_reference: String
            var uncleared: String
            var by_age: [String: String]
            var oldest_date: String?
            var days: [UnclearedDay]
        }

        var date: String
        var total: String
        var buckets: [String]
        var accounts: [Account]

        init(_ ageing: ClearingAgeing) {
            date = ageing.date.description
            total = ageing.total.yuanString
            buckets = ClearingAgeing.Bucket.allCases.map(\.rawValue)
            accounts = ageing.rows.map { row in
                Account(account: row.account.code, channel: row.channel.rawValue, outlet_id: row.outletID?.rawValue,
                        settlement_reference: SettlementReference.template(for: row.account) ?? "",
                        uncleared: row.uncleared.yuanString,
                        by_age: Dictionary(uniqueKeysWithValues: ClearingAgeing.Bucket.allCases.map {
                            ($0.rawValue, row.uncleared($0, on: ageing.date).yuanString)
                        }),
                        oldest_date: row.oldest?.description,
                        days: row.days.map {
                            UnclearedDay(business_date: $0.businessDate.description,
                                         age_days: ageing.date - $0.businessDate, collected: $0.collected.yuanString,
                                         settled: $0.settled.yuanString, uncleared: $0.uncleared.yuanString,
                                         on_worklist: $0.onWorklist)
                        })
            }
        }
    }

    /// A report table as JSON: title, columns, rows of cells.
    struct JSONTable: Encodable {
        var title: String
        var columns: [String]
        var rows: [[String]]
    }
}

/// How a report is asked for: `?format=json` (the default) or `?format=csv`.
enum ReportFormat: String {
    case json, csv

    init(_ request: Request) throws {
        guard let format = ReportFormat(rawValue: request.uri.queryParameters["format"].map(String.init) ?? "json")
        else {
            throw RequestError.invalidField("format must be json or csv")
        }
        self = format
    }

    /// The report as JSON, or its table as a CSV download named `filename`.
    func response(_ report: some Encodable, table: ReportTable, filename: String) throws -> Response {
        switch self {
        case .json: return try JSONBody.response(report)
        case .csv:
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(filename)\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: table.csv)))
        }
    }
}
