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
        return try format.response(JSONTable(title: table.title, columns: table.header, rows: table.rows), table: table,
                                   filename: "daily-\(date)-\(grouping.rawValue).csv")
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

    /// The report as JSON, or its table as a CSV download named `filename`.
    func response(_ report: some Encodable, table: ReportTable, filename: String) throws -> Response {
        switch self {
        case .json: return try JSONBody.response(report)
        case .csv:
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
                            body: .init(byteBuffer: ByteBuffer(string: table.csv)))
        }
    }
}
