import Hummingbird
import PayGridCore
import PayGridServices

/// Daily reports (日报) as JSON, or CSV with `?format=csv`.
struct ReportRoutes {
    let reports: Reports

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("reports/daily/{date}", use: daily)
    }

    @Sendable func daily(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let signedIn = context.signedIn else { throw AuthError.unauthenticated }
        guard let date = Day(try context.parameters.require("date")) else { throw RequestError.invalidField("date must be YYYY-MM-DD") }
        let by = request.uri.queryParameters["by"].map(String.init) ?? "outlet"
        guard let grouping = DailyReport.Grouping(rawValue: by) else {
            throw RequestError.invalidField("by must be \(DailyReport.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let format = try ReportFormat(request)
        let table = try await reports.daily(date, by: grouping, actor: signedIn).table
        switch format {
        case .csv: return ReportFormat.csv(table, filename: "daily-\(date)-\(grouping.rawValue).csv")
        case .json: return try JSONBody.response(JSONTable(title: table.title, columns: table.header, rows: table.rows))
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
        guard let format = ReportFormat(rawValue: request.uri.queryParameters["format"].map(String.init) ?? "json") else {
            throw RequestError.invalidField("format must be json or csv")
        }
        self = format
    }

    static func csv(_ table: ReportTable, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(string: table.csv)))
    }
}
