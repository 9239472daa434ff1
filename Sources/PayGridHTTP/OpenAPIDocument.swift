/// The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`. Kept by hand next
/// to the routes; a test checks that every route is described and that the document validates.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "PayGrid API",
        "version": "1.0.0",
        "description": "Electricity-bill payments for a power utility. Amounts are yuan strings with at most two decimals (\"123.45\"). Errors are {\"error\":{\"code\",\"message\"}} with a stable code. Money-moving POSTs require an Idempotency-Key header: the same key and body answer the stored response again; the same key with another body is 422 idempotency_key_reused."
      },
      "servers": [{"url": "/"}],
      "security": [{"bearer": []}],
      "paths": {
        "/api/v1/sessions": {
          "post": {
            "summary": "Sign in", "security": [],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SessionRequest"}}}},
            "responses": {
              "201": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}},
              "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/customers": {
          "get": {
            "summary": "Search customers by account number, name or meter number",
            "parameters": [
              {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 64}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
              {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}
            ],
            "responses": {
              "200": {"description": "A page of customers", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerPage"}}}},
              "401": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/customers/{account_no}": {
          "get": {
            "summary": "One customer with arrears, penalty as of today, prepayment and amount due",
            "parameters": [{"$ref": "#/components/parameters/AccountNo"}],
            "responses": {
              "200": {"description": "The customer", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}}},
              "404": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/customers/{account_no}/bills": {
          "get": {
            "summary": "A customer's bills",
            "parameters": [
              {"$ref": "#/components/parameters/AccountNo"},
              {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "all"], "default": "open"}}
            ],
            "responses": {
              "200": {"description": "Bills", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BillList"}}}},
              "404": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/customers/import": {
          "post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "summary": "Import customers (CSV: account_no,name,address,category,billing_mode,meters); all or nothing",
            "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
            "responses": {
              "201": {"description": "Imported", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportResult"}}}},
              "422": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/payments": {
          "post": {
            "summary": "Take a counter payment (cash and/or card); allocated oldest period first, penalty before principal, the rest kept as prepayment",
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaymentRequest"}}}},
            "responses": {
              "201": {"description": "Posted (or the stored answer to the same request)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
              "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
              "422": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/payments/{payment_id}": {
          "get": {
            "summary": "One payment or reversal",
            "parameters": [{"$ref": "#/components/parameters/PaymentID"}],
            "responses": {
              "200": {"description": "The payment", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}},
              "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/payments/{payment_id}/reversal": {
          "post": {
            "summary": "Reverse a payment on its own business day (by its operator or a supervisor)",
            "parameters": [{"$ref": "#/components/parameters/PaymentID"}, {"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 200}}}}}},
            "responses": {
              "201": {"description": "The reversal", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}},
              "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
              "409": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/bills/import": {
          "post": {
            "summary": "Import bills (CSV: account_no,period,amount,due_date); all or nothing; prepayment is applied to new bills",
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
            "responses": {
              "201": {"description": "Imported", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportResult"}}}},
              "422": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/ledger/trial-balance": {
          "get": {
            "summary": "Trial balance of the double-entry ledger",
            "responses": {
              "200": {"description": "Accounts with debit, credit and balance", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrialBalance"}}}},
              "403": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/shifts": {
          "post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "summary": "Open the signed-in cashier's shift with an opening float",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["opening_float"], "properties": {"opening_float": {"$ref": "#/components/schemas/Amount"}}}}}},
            "responses": {"201": {"description": "Opened", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shift"}}}}, "409": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/shifts/current": {
          "get": {
            "summary": "The signed-in cashier's open shift with running totals",
            "responses": {"200": {"description": "The shift", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shift"}}}}, "409": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/shifts/{shift_id}": {
          "get": {
            "summary": "One shift",
            "parameters": [{"$ref": "#/components/parameters/ShiftID"}],
            "responses": {"200": {"description": "The shift", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shift"}}}}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/shifts/{shift_id}/handovers": {
          "post": {
            "summary": "Hand cash over to the head cashier during the day",
            "parameters": [{"$ref": "#/components/parameters/ShiftID"}, {"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["amount"], "properties": {"amount": {"$ref": "#/components/schemas/Amount"}}}}}},
            "responses": {"201": {"description": "Recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shift"}}}}, "409": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/shifts/{shift_id}/close": {
          "post": {
            "summary": "Close a shift with the cash count by denomination and the card slips total; over/short is recorded and posted",
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"$ref": "#/components/parameters/ShiftID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["counts", "card_slips_total"], "properties": {
              "counts": {"type": "object", "description": "Pieces by denomination: 100, 50, 20, 10, 5, 1, 0.5, 0.1", "additionalProperties": {"type": "integer", "minimum": 0}},
              "card_slips_total": {"$ref": "#/components/schemas/Amount"}}}}}},
            "responses": {"200": {"description": "Closed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shift"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/business-days/{outlet_id}": {
          "get": {
            "summary": "The outlet's open business date",
            "parameters": [{"$ref": "#/components/parameters/OutletID"}],
            "responses": {"200": {"description": "Open date", "content": {"application/json": {"schema": {"type": "object", "properties": {"outlet_id": {"type": "string"}, "open_date": {"type": "string", "format": "date"}, "open_shifts": {"type": "array", "items": {"type": "object", "properties": {"shift_id": {"type": "string"}, "cashier": {"type": "string"}}}}}}}}}}
          }
        },
        "/api/v1/business-days/{outlet_id}/close": {
          "post": {
            "summary": "Close the outlet's business day (supervisor); refused while shifts are open",
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"$ref": "#/components/parameters/OutletID"}],
            "responses": {"201": {"description": "Closed", "content": {"application/json": {"schema": {"type": "object", "properties": {"outlet_id": {"type": "string"}, "closed_date": {"type": "string"}, "open_date": {"type": "string"}, "cash_to_remit": {"$ref": "#/components/schemas/Amount"}}}}}}, "409": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/remittances": {
          "post": {
            "summary": "Record the remittance slip (解款单) of a closed day's cash; the ledger moves cash to in-transit",
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["outlet_id", "business_date", "amount", "bank", "bank_account", "deposit_reference"], "properties": {
              "outlet_id": {"type": "string"}, "business_date": {"type": "string", "format": "date"}, "amount": {"$ref": "#/components/schemas/Amount"},
              "bank": {"type": "string"}, "bank_account": {"type": "string"}, "deposit_reference": {"type": "string"},
              "deposit_date": {"type": "string", "format": "date", "description": "The day the cash was paid in at the bank (default today)"}}}}}},
            "responses": {"201": {"description": "Recorded", "content": {"application/json": {"schema": {"type": "object"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/api/v1/invoices/batches": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Receive a batch of pre-numbered forms into stock (overlaps refused)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code", "first", "last"], "properties": {"code": {"type": "string", "pattern": "^[0-9]{1,20}$"}, "first": {"type": "integer", "minimum": 1}, "last": {"type": "integer", "minimum": 1}, "holder": {"type": "string"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/invoices/issues": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Issue (领用) a range of stock to a holder", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code", "first", "last"], "properties": {"code": {"type": "string", "pattern": "^[0-9]{1,20}$"}, "first": {"type": "integer", "minimum": 1}, "last": {"type": "integer", "minimum": 1}, "holder": {"type": "string"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/invoices/returns": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Take a holder's unused range back into stock", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code", "first", "last"], "properties": {"code": {"type": "string", "pattern": "^[0-9]{1,20}$"}, "first": {"type": "integer", "minimum": 1}, "last": {"type": "integer", "minimum": 1}, "holder": {"type": "string"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/invoices/resync": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Report the number physically in the printer; skipped forms become void (misaligned)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code", "number"], "properties": {"code": {"type": "string"}, "number": {"type": "integer"}}}}}}, "responses": {"200": {"description": "Done", "content": {"application/json": {"schema": {"type": "object", "properties": {"invoices": {"type": "array", "items": {"$ref": "#/components/schemas/Invoice"}}}}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/invoices/{code}/{number}/void": {"post": {"summary": "Void (作废) a form; an earlier day's invoice needs a supervisor", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "number", "in": "path", "required": true, "schema": {"type": "integer"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "enum": ["spoiled", "wrong_details"]}}}}}}, "responses": {"200": {"description": "Done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invoice"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/payments/{payment_id}/invoice": {"post": {"summary": "Print the payment's invoice on the printer's next form", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"$ref": "#/components/parameters/PaymentID"}], "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invoice"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/payments/{payment_id}/invoice/reprint": {"post": {"summary": "Reprint on a new form; only after the current invoice was voided", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"$ref": "#/components/parameters/PaymentID"}], "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invoice"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/invoices/inventory": {"get": {"summary": "Used, voided and unused forms (counts and ranges) for a holder, code and date", "parameters": [{"name": "holder", "in": "query", "schema": {"type": "string"}}, {"name": "code", "in": "query", "schema": {"type": "string"}}, {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}}], "responses": {"200": {"description": "Inventory", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/invoices/usage": {"get": {"summary": "Face amounts printed vs payments posted for a holder and day; differences listed", "parameters": [{"name": "holder", "in": "query", "required": true, "schema": {"type": "string"}}, {"name": "date", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}], "responses": {"200": {"description": "Usage", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/invoices/resyncs": {"get": {"summary": "Every misalignment resync (forms voided as misaligned)", "responses": {"200": {"description": "Forms", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/payments/{payment_id}/receipt": {"get": {"summary": "The printable receipt: HTML with print CSS, or plain text with format=text", "parameters": [{"$ref": "#/components/parameters/PaymentID"}, {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["html", "text"]}}], "responses": {"200": {"description": "Receipt", "content": {"text/html": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}}}}},
        "/bank/v1/query": {"post": {"summary": "Bank: arrears of an account (name partly masked)", "security": [], "parameters": [{"$ref": "#/components/parameters/BankCode"}, {"$ref": "#/components/parameters/Timestamp"}, {"$ref": "#/components/parameters/Nonce"}, {"$ref": "#/components/parameters/Signature"}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["account_no"], "properties": {"account_no": {"type": "string"}}}}}}, "responses": {"200": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/bank/v1/pay": {"post": {"summary": "Bank: pay by the bank's serial (the idempotency key); allocated like a counter payment", "security": [], "parameters": [{"$ref": "#/components/parameters/BankCode"}, {"$ref": "#/components/parameters/Timestamp"}, {"$ref": "#/components/parameters/Nonce"}, {"$ref": "#/components/parameters/Signature"}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["serial", "bank_date", "account_no", "amount"], "properties": {"serial": {"type": "string"}, "bank_date": {"type": "string", "format": "date"}, "account_no": {"type": "string"}, "amount": {"$ref": "#/components/schemas/Amount"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/bank/v1/reverse": {"post": {"summary": "Bank: reverse (冲正) with a new serial naming the original, same bank business date", "security": [], "parameters": [{"$ref": "#/components/parameters/BankCode"}, {"$ref": "#/components/parameters/Timestamp"}, {"$ref": "#/components/parameters/Nonce"}, {"$ref": "#/components/parameters/Signature"}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["serial", "original_serial", "bank_date"], "properties": {"serial": {"type": "string"}, "original_serial": {"type": "string"}, "bank_date": {"type": "string", "format": "date"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/bank/v1/status": {"post": {"summary": "Bank: status of a serial: posted, reversed, reversal or unknown", "security": [], "parameters": [{"$ref": "#/components/parameters/BankCode"}, {"$ref": "#/components/parameters/Timestamp"}, {"$ref": "#/components/parameters/Nonce"}, {"$ref": "#/components/parameters/Signature"}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["serial"], "properties": {"serial": {"type": "string"}}}}}}, "responses": {"200": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/bank/v1/daily-file": {"get": {"summary": "Bank: PayGrid's end-of-day file for a bank date (H/D/T lines, | separated)", "security": [], "parameters": [{"$ref": "#/components/parameters/BankCode"}, {"$ref": "#/components/parameters/Timestamp"}, {"$ref": "#/components/parameters/Nonce"}, {"$ref": "#/components/parameters/Signature"}, {"name": "date", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{8}$"}}], "responses": {"200": {"description": "The file", "content": {"text/plain": {"schema": {"type": "string"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/banks": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Register a bank (admin); answers its HMAC secret once", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code", "name"], "properties": {"code": {"type": "string", "pattern": "^[A-Z0-9]{2,16}$"}, "name": {"type": "string"}, "cutoff": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "When the business day rolls (日切); 23:00 when absent"}}}}}}, "responses": {"201": {"description": "Registered", "content": {"application/json": {"schema": {"type": "object", "properties": {"code": {"type": "string"}, "secret": {"type": "string", "contentEncoding": "base64"}}}}}}, "403": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/banks/{code}/suspend": {"post": {"summary": "Suspend a bank: its requests are refused at once", "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Suspended", "content": {"application/json": {"schema": {"type": "object"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/banks/{code}/activate": {"post": {"summary": "Reactivate a bank", "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Active", "content": {"application/json": {"schema": {"type": "object"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agents": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Register an agent point (admin)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code", "name", "address", "contact", "credit_limit"], "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "address": {"type": "string"}, "contact": {"type": "string"}, "credit_limit": {"$ref": "#/components/schemas/Amount"}, "cutoff": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "When the business day rolls (日切); 23:00 when absent"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agents/{code}/deposits": {"post": {"summary": "Record an agent's float deposit by its bank reference and the collection account it was paid into (finance); the float is credited at once, the money waits in transit until that account's statement confirms it", "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["amount", "bank_reference", "bank_account"], "properties": {"amount": {"$ref": "#/components/schemas/Amount"}, "bank_reference": {"type": "string"}, "bank_account": {"type": "string", "description": "The collection account the agent paid into; its statement confirms the deposit"}, "deposit_date": {"type": "string", "format": "date", "description": "The day it was paid in (default today)"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agents/{code}/suspend": {"post": {"summary": "Suspend an agent: collections stop at once", "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agents/{code}/activate": {"post": {"summary": "Reactivate an agent", "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agent/collections": {"post": {"summary": "Agent: collect by the agent's own serial; refused beyond float + credit (agent_float_exceeded)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["serial", "account_no", "amount"], "properties": {"serial": {"type": "string"}, "account_no": {"type": "string"}, "amount": {"$ref": "#/components/schemas/Amount"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}, "get": {"summary": "Agent: the day's collections", "parameters": [{"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}}], "responses": {"200": {"description": "Collections", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/agent/collections/{serial}/reversal": {"post": {"summary": "Agent: reverse a collection the same day under a new serial", "parameters": [{"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["serial", "reason"], "properties": {"serial": {"type": "string"}, "reason": {"type": "string"}}}}}}, "responses": {"201": {"description": "Done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agent/settlement": {"get": {"summary": "Agent: daily settlement statement (count, amount, reversals, float movement)", "parameters": [{"name": "date", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}], "responses": {"200": {"description": "Statement", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/agent/collections/{serial}/invoice": {"post": {"summary": "An agent prints the invoice of its own collection of its current business day, on its next form", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"201": {"description": "The form", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agent/collections/{serial}/invoice/reprint": {"post": {"summary": "An agent reprints a collection whose invoice is void, on a new form", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"201": {"description": "The form", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/agents/{code}/invoice-usage": {"get": {"summary": "An agent point's invoice usage for a day: forms used, voided, unused, face totals against its collections", "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "date", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}], "responses": {"200": {"description": "The usage", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/vouchers/batches": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Generate a batch of recharge vouchers (充值卡); answers the card printer CSV with the PINs, once", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["count", "face_value", "expires_on"], "properties": {"count": {"type": "integer", "minimum": 1, "maximum": 100000}, "face_value": {"$ref": "#/components/schemas/Amount"}, "expires_on": {"type": "string", "format": "date"}}}}}}, "responses": {"201": {"description": "serial,pin,face,expires_on", "content": {"text/csv": {"schema": {"type": "string"}}}}, "403": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/vouchers/redemptions": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Redeem a sold voucher onto an account (5 wrong PINs lock the serial; failures are rate-limited per caller and per account)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["serial", "pin", "account_no", "caller"], "properties": {"serial": {"type": "string"}, "pin": {"type": "string"}, "account_no": {"type": "string"}, "caller": {"type": "string"}}}}}}, "responses": {"201": {"description": "The payment", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/vouchers/expire": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Mark sold vouchers past their date expired; the liability stays until a card is extended or refunded", "responses": {"200": {"description": "Count expired", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/vouchers/{serial}/sale": {"post": {"summary": "Sell (activate) a voucher for cash at the counter", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"201": {"description": "Sold", "content": {"application/json": {"schema": {"type": "object"}}}}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/vouchers/{serial}/unlock": {"post": {"summary": "Unlock a voucher after wrong PINs (supervisor)", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Unlocked", "content": {"application/json": {"schema": {"type": "object"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/vouchers/{serial}/void": {"post": {"summary": "Void an unsold voucher (supervisor)", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Voided", "content": {"application/json": {"schema": {"type": "object"}}}}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/vouchers/{serial}/extension": {"post": {"summary": "Extend a sold card, expired or not (延期; supervisor, recorded)", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["expires_on"], "properties": {"expires_on": {"type": "string", "format": "date"}}}}}}, "responses": {"200": {"description": "Extended", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/vouchers/{serial}/refund": {"post": {"summary": "Refund a sold card in cash from the supervisor's drawer (退卡; the card's PIN required; recorded)", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["pin"], "properties": {"pin": {"type": "string"}}}}}}, "responses": {"200": {"description": "Refunded", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/ivr/sessions": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "95598: start a voucher-redemption call for a caller number", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["caller"], "properties": {"caller": {"type": "string"}}}}}}, "responses": {"201": {"description": "First prompt", "content": {"application/json": {"schema": {"type": "object", "properties": {"session_id": {"type": "string"}, "state": {"type": "string", "enum": ["enter_account", "enter_serial", "enter_pin", "confirm", "working", "finished"]}, "prompt": {"type": "string"}, "finished": {"type": "boolean"}}}}}}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/ivr/sessions/{session_id}/digits": {"post": {"summary": "95598: keys pressed (0-9, # ends an entry or confirms, * goes back); answers the next prompt", "parameters": [{"name": "session_id", "in": "path", "required": true, "schema": {"type": "string"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["digits"], "properties": {"digits": {"type": "string", "pattern": "^[0-9#*]{0,64}$"}}}}}}, "responses": {"200": {"description": "Next prompt", "content": {"application/json": {"schema": {"type": "object", "properties": {"session_id": {"type": "string"}, "state": {"type": "string", "enum": ["enter_account", "enter_serial", "enter_pin", "confirm", "working", "finished"]}, "prompt": {"type": "string"}, "finished": {"type": "boolean"}}}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/statements": {"post": {"summary": "Import a partner's statement for a day and match it; a day without differences is locked. The body is a PGBANK/PGAGENT end-of-day file (it names its partner and day) or ISO 20022 camt.053.001.02 / camt.054.001.02 XML (partner and date then required)", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "partner", "in": "query", "required": false, "description": "Bank or agent code", "schema": {"type": "string"}}, {"name": "date", "in": "query", "required": false, "schema": {"type": "string", "format": "date"}}], "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}, "application/xml": {"schema": {"type": "string"}}}}, "responses": {"201": {"description": "The reconciliation", "content": {"application/json": {"schema": {"type": "object", "properties": {"outlet_id": {"type": "string"}, "business_date": {"type": "string"}, "statement_total": {"type": "string"}, "recorded_total": {"type": "string"}, "matched": {"type": "integer"}, "differences": {"type": "array", "items": {"type": "object"}}, "locked": {"type": "boolean"}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/{outlet_id}/{date}": {"get": {"summary": "A channel day's reconciliation: totals, matched, each difference, locked; ?format=csv for the differences as CSV", "parameters": [{"$ref": "#/components/parameters/OutletID"}, {"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}}, {"$ref": "#/components/parameters/Format"}], "responses": {"200": {"description": "The reconciliation", "content": {"application/json": {"schema": {"type": "object", "properties": {"outlet_id": {"type": "string"}, "business_date": {"type": "string"}, "statement_total": {"type": "string"}, "recorded_total": {"type": "string"}, "matched": {"type": "integer"}, "differences": {"type": "array", "items": {"type": "object"}}, "locked": {"type": "boolean"}}}}, "text/csv": {"schema": {"type": "string"}}}}}}},
        "/api/v1/reports/daily/{date}": {"get": {"summary": "Daily report (日报) grouped by channel, outlet, cashier or agent: count and amount by tender, reversals, net, invoices used/voided, over/short", "parameters": [{"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}}, {"name": "by", "in": "query", "required": false, "schema": {"type": "string", "enum": ["channel", "outlet", "cashier", "agent"], "default": "outlet"}}, {"$ref": "#/components/parameters/Format"}], "responses": {"200": {"description": "The report: title, columns, rows (the last is the total)", "content": {"application/json": {"schema": {"type": "object", "properties": {"title": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}}, "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}}}}, "text/csv": {"schema": {"type": "string"}}}}, "403": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reports/clearing-ageing/{date}": {"get": {"summary": "Partner and card clearing not yet settled by a transfer into a collection account (划款), by age: 0-1, 2-3, 4-7, >7 days", "parameters": [{"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}}, {"$ref": "#/components/parameters/Format"}], "responses": {"200": {"description": "The ageing", "content": {"application/json": {"schema": {"type": "object", "properties": {"date": {"type": "string"}, "total": {"type": "string"}, "buckets": {"type": "array", "items": {"type": "string"}}, "accounts": {"type": "array", "items": {"type": "object"}}}}}, "text/csv": {"schema": {"type": "string"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/{outlet_id}/{date}/items/{item_id}/resolution": {"post": {"summary": "Resolve a difference: post_missing (补单), reverse, or write_off to suspense — asked for with write_off (nothing posts), posted when a supervisor who is another person sends approve_write_off; the last resolution locks the day", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"$ref": "#/components/parameters/OutletID"}, {"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}}, {"name": "item_id", "in": "path", "required": true, "schema": {"type": "integer"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["post_missing", "reverse", "write_off", "approve_write_off"]}}}}}}, "responses": {"200": {"description": "The reconciliation", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/deposits": {"post": {"summary": "Import a collection account's statement (ISO 20022 camt.053.001.02 / camt.054.001.02 XML) and match its credits against the remittance slips (解款单) paid into that account, by deposit reference (EndToEndId) then amount; matched slips move from in-transit to the bank account; a slip is short once its grace day has passed", "parameters": [{"name": "date", "in": "query", "required": true, "description": "The statement's day", "schema": {"type": "string", "format": "date"}}, {"name": "account", "in": "query", "required": false, "description": "The account the statement must be for", "schema": {"type": "string"}}], "requestBody": {"required": true, "content": {"application/xml": {"schema": {"type": "string"}}}}, "responses": {"201": {"description": "The deposit reconciliation", "content": {"application/json": {"schema": {"type": "object", "properties": {"bank_account": {"type": "string"}, "statement_date": {"type": "string"}, "received": {"type": "string"}, "matched": {"type": "integer"}, "differences": {"type": "array", "items": {"type": "object"}}, "in_transit": {"type": "integer"}, "in_transit_amount": {"type": "string"}, "locked": {"type": "boolean"}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/deposits/{account}/{date}": {"get": {"summary": "A collection account's deposit reconciliation of a day: received, matched, each difference, slips still in transit, locked; ?format=csv for the differences as CSV", "parameters": [{"name": "account", "in": "path", "required": true, "description": "The collection account's number", "schema": {"type": "string"}}, {"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}}, {"$ref": "#/components/parameters/Format"}], "responses": {"200": {"description": "The deposit reconciliation", "content": {"application/json": {"schema": {"type": "object", "properties": {"bank_account": {"type": "string"}, "statement_date": {"type": "string"}, "received": {"type": "string"}, "matched": {"type": "integer"}, "differences": {"type": "array", "items": {"type": "object"}}, "in_transit": {"type": "integer"}, "in_transit_amount": {"type": "string"}, "locked": {"type": "boolean"}}}}, "text/csv": {"schema": {"type": "string"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/deposits/{account}/{date}/items/{item_id}/resolution": {"post": {"summary": "Write a deposit difference off to suspense: write_off asks (nothing posts), approve_write_off by a supervisor who is another person posts it — the bank account takes what the statement received, the slip's in-transit what the slip sent; the last resolution locks the day", "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}, {"name": "account", "in": "path", "required": true, "description": "The collection account's number", "schema": {"type": "string"}}, {"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}}, {"name": "item_id", "in": "path", "required": true, "schema": {"type": "integer"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["write_off", "approve_write_off"]}}}}}}, "responses": {"200": {"description": "The deposit reconciliation", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/in-transit": {"get": {"summary": "Money in transit on a day (未达账项): every remittance or float deposit, any account, paid in on or before it that no statement has accounted for; overdue ones are past their grace day (their statement lacked them, or was never imported). ?format=csv", "parameters": [{"name": "date", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}, {"$ref": "#/components/parameters/Format"}], "responses": {"200": {"description": "The slips", "content": {"application/json": {"schema": {"type": "object", "properties": {"date": {"type": "string"}, "total": {"type": "string"}, "overdue": {"type": "integer"}, "overdue_amount": {"type": "string"}, "slips": {"type": "array", "items": {"type": "object"}}}}}, "text/csv": {"schema": {"type": "string"}}}}, "403": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/reconciliations/approvals": {"get": {"summary": "The supervisors' queue: write-offs asked for (write_off) and awaiting approval (approve_write_off by another person), in the partner and deposit worklists, with the difference each would move to suspense. ?format=csv", "parameters": [{"$ref": "#/components/parameters/Format"}], "responses": {"200": {"description": "The queue", "content": {"application/json": {"schema": {"type": "object", "properties": {"requests": {"type": "array", "items": {"type": "object", "properties": {"worklist": {"type": "string", "enum": ["partner", "deposits"]}, "scope": {"type": "string"}, "date": {"type": "string"}, "item_id": {"type": "integer"}, "outcome": {"type": "string"}, "reference": {"type": ["string", "null"]}, "difference": {"type": "string"}, "asked_by": {"type": "string"}}}}}}}, "text/csv": {"schema": {"type": "string"}}}}, "403": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/collection-accounts": {"post": { "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],"summary": "Register one of the utility's collection accounts (收款账户; administrator): remittance slips, agents' float deposits and deposit statements must name one", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["number", "bank", "name"], "properties": {"number": {"type": "string", "description": "Letters and digits, spaces between groups ignored"}, "bank": {"type": "string"}, "name": {"type": "string"}}}}}}, "responses": {"201": {"description": "Registered", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}},
          "get": {"summary": "The utility's collection accounts (a cashier picks one for a remittance slip)", "responses": {"200": {"description": "The accounts", "content": {"application/json": {"schema": {"type": "object", "properties": {"accounts": {"type": "array", "items": {"type": "object", "properties": {"number": {"type": "string"}, "bank": {"type": "string"}, "name": {"type": "string"}}}}}}}}}}}},
        "/api/v1/openapi.json": {
          "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        },
        "/healthz": {
          "get": {"summary": "Liveness and database reachability", "security": [], "responses": {"200": {"description": "Healthy", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}}}}
        },
        "/metrics": {
          "get": {"summary": "Prometheus metrics", "security": [], "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}
        }
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "parameters": {
          "AccountNo": {"name": "account_no", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Za-z0-9]{4,20}$"}},
          "PaymentID": {"name": "payment_id", "in": "path", "required": true, "schema": {"type": "string"}},
          "BankCode": {"name": "X-Bank-Code", "in": "header", "required": true, "schema": {"type": "string"}},
          "Timestamp": {"name": "X-Timestamp", "in": "header", "required": true, "description": "Unix seconds; within 5 minutes of now", "schema": {"type": "string"}},
          "Nonce": {"name": "X-Nonce", "in": "header", "required": true, "description": "Never reused", "schema": {"type": "string", "maxLength": 64}},
          "Signature": {"name": "X-Signature", "in": "header", "required": true, "description": "hex HMAC-SHA256(secret, METHOD\\nTARGET (path and query)\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body)))", "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
          "ShiftID": {"name": "shift_id", "in": "path", "required": true, "schema": {"type": "string"}},
          "OutletID": {"name": "outlet_id", "in": "path", "required": true, "schema": {"type": "string"}},
          "Format": {"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
          "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 128}}
        },
        "responses": {
          "Error": {"description": "Refused; nothing changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
          "Amount": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})?$", "examples": ["123.45"]},
          "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
          "SessionRequest": {"type": "object", "required": ["operator", "password"], "properties": {"operator": {"type": "string"}, "password": {"type": "string"}}},
          "Session": {"type": "object", "required": ["token", "expires_at"], "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}, "operator_id": {"type": "string"}, "role": {"type": "string", "enum": ["cashier", "supervisor", "finance", "auditor", "admin"]}, "outlet_id": {"type": "string"}}},
          "Customer": {"type": "object", "required": ["account_no", "name", "address", "category", "billing_mode", "arrears", "penalty", "prepayment", "amount_due"], "properties": {
            "account_no": {"type": "string"}, "name": {"type": "string"}, "address": {"type": "string"},
            "category": {"type": "string", "enum": ["residential", "commercial", "industrial", "agricultural"]},
            "billing_mode": {"type": "string", "enum": ["postpaid", "prepaid"]}, "meters": {"type": "array", "items": {"type": "string"}},
            "arrears": {"$ref": "#/components/schemas/Amount"}, "penalty": {"$ref": "#/components/schemas/Amount"},
            "prepayment": {"$ref": "#/components/schemas/Amount"}, "amount_due": {"$ref": "#/components/schemas/Amount"}, "business_date": {"type": "string", "format": "date", "description": "The business date the quote is for: the one a payment taken now would post to"}}},
          "CustomerPage": {"type": "object", "properties": {"customers": {"type": "array", "items": {"$ref": "#/components/schemas/Customer"}}, "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
          "Bill": {"type": "object", "properties": {"period": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "amount": {"$ref": "#/components/schemas/Amount"}, "paid": {"$ref": "#/components/schemas/Amount"}, "penalty": {"$ref": "#/components/schemas/Amount"}, "outstanding": {"$ref": "#/components/schemas/Amount"}, "due_date": {"type": "string", "format": "date"}, "status": {"type": "string", "enum": ["open", "overdue", "paid"]}}},
          "BillList": {"type": "object", "properties": {"account_no": {"type": "string"}, "bills": {"type": "array", "items": {"$ref": "#/components/schemas/Bill"}}}},
          "Tender": {"type": "object", "required": ["method", "amount"], "properties": {
            "method": {"type": "string", "enum": ["cash", "card"]}, "amount": {"$ref": "#/components/schemas/Amount"},
            "tendered": {"$ref": "#/components/schemas/Amount"},
            "masked_pan": {"type": "string", "pattern": "^[0-9]{6}\\*{3,9}[0-9]{4}$", "description": "Masked card number only; a full card number is refused"},
            "approval_code": {"type": "string"}, "terminal_id": {"type": "string"}, "reference": {"type": "string"}}},
          "PaymentRequest": {"type": "object", "required": ["account_no", "channel", "tenders"], "properties": {
            "account_no": {"type": "string"}, "channel": {"type": "string", "enum": ["counter"]},
            "tenders": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Tender"}}}},
          "Payment": {"type": "object", "required": ["payment_id", "account_no", "amount", "business_date", "status", "allocations", "prepayment_credit", "change"], "properties": {
            "payment_id": {"type": "string"}, "account_no": {"type": "string"}, "channel": {"type": "string"},
            "amount": {"$ref": "#/components/schemas/Amount"}, "business_date": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": ["posted", "reversed"]},
            "allocations": {"type": "array", "items": {"type": "object", "properties": {"period": {"type": "string"}, "penalty": {"$ref": "#/components/schemas/Amount"}, "principal": {"$ref": "#/components/schemas/Amount"}}}},
            "prepayment_credit": {"$ref": "#/components/schemas/Amount"}, "change": {"$ref": "#/components/schemas/Amount"},
            "tenders": {"type": "array", "items": {"$ref": "#/components/schemas/Tender"}},
            "operator_id": {"type": "string"}, "outlet_id": {"type": "string"},
            "reversal_of": {"type": "string"}, "reason": {"type": "string"}, "recorded_at_ms": {"type": "integer"}}},
          "Shift": {"type": "object", "properties": {
            "shift_id": {"type": "string"}, "cashier_id": {"type": "string"}, "outlet_id": {"type": "string"}, "business_date": {"type": "string", "format": "date"},
            "state": {"type": "string", "enum": ["open", "closed"]}, "opening_float": {"$ref": "#/components/schemas/Amount"},
            "cash_in": {"type": "string"}, "cash_reversed": {"type": "string"}, "handed_over": {"type": "string"}, "expected_cash": {"type": "string"},
            "card_total": {"type": "string"}, "payments": {"type": "integer"}, "reversals": {"type": "integer"},
            "counted": {"type": "string"}, "card_slips": {"type": "string"}, "over_short": {"type": "string", "description": "Positive: over (长款); negative: short (短款)"}, "card_difference": {"type": "string", "description": "Card slips minus card takings at close; shown, not posted"}}},
          "Invoice": {"type": "object", "properties": {"code": {"type": "string"}, "number": {"type": "string"}, "state": {"type": "string", "enum": ["stock", "issued", "used", "void"]},
            "holder": {"type": "string"}, "payment_id": {"type": "string"}, "face": {"type": "string"}, "face_in_words": {"type": "string"},
            "business_date": {"type": "string"}, "void_reason": {"type": "string"}}},
          "ImportResult": {"type": "object", "properties": {"imported": {"type": "integer"}, "prepayment_applied": {"$ref": "#/components/schemas/Amount"}}},
          "TrialBalance": {"type": "object", "properties": {
            "accounts": {"type": "array", "items": {"type": "object", "properties": {"account": {"type": "string"}, "debit": {"type": "string"}, "credit": {"type": "string"}, "balance": {"type": "string"}}}},
            "total_debit": {"type": "string"}, "total_credit": {"type": "string"}, "balanced": {"type": "boolean"}}}
        }
      }
    }
    """#
}
