using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FaceSwap.BotApi.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "credit_ledger",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Reference = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_credit_ledger", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_updates",
                columns: table => new
                {
                    UpdateId = table.Column<long>(type: "bigint", nullable: false),
                    ChatId = table.Column<long>(type: "bigint", nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    HandledAt = table.Column<long>(type: "bigint", nullable: true),
                    TraceParent = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_updates", x => x.UpdateId);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    ChatId = table.Column<long>(type: "bigint", nullable: false),
                    FaceBlobKey = table.Column<string>(type: "text", nullable: false),
                    TargetBlobKey = table.Column<string>(type: "text", nullable: false),
                    Selection = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DispatchedAt = table.Column<long>(type: "bigint", nullable: true),
                    StartedAt = table.Column<long>(type: "bigint", nullable: true),
                    CompletedAt = table.Column<long>(type: "bigint", nullable: true),
                    FailureReason = table.Column<string>(type: "text", nullable: true),
                    StatusMessageId = table.Column<int>(type: "integer", nullable: true),
                    ResultFileId = table.Column<string>(type: "text", nullable: true),
                    DeliveredAt = table.Column<long>(type: "bigint", nullable: true),
                    TraceParent = table.Column<string>(type: "text", nullable: true),
                    Redispatches = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "moderation_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    Action = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<long>(type: "bigint", nullable: false),
                    JobId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Details = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Reference = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_moderation_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Stream = table.Column<string>(type: "text", nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    JobId = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DispatchedAt = table.Column<long>(type: "bigint", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "payments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Provider = table.Column<int>(type: "integer", nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    PackId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Credits = table.Column<int>(type: "integer", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    PaidAt = table.Column<long>(type: "bigint", nullable: true),
                    RefundedAt = table.Column<long>(type: "bigint", nullable: true),
                    CreditsTakenBack = table.Column<int>(type: "integer", nullable: false),
                    NotifiedAt = table.Column<long>(type: "bigint", nullable: true),
                    PaymentIntentId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    AmountRefunded = table.Column<long>(type: "bigint", nullable: false),
                    RefundNotifiedAmount = table.Column<long>(type: "bigint", nullable: false),
                    DisputedAt = table.Column<long>(type: "bigint", nullable: true),
                    DisputeNotifiedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_payments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "saved_faces",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    FileId = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saved_faces", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "uptime_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Component = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SampledAt = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_uptime_samples", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    ChatId = table.Column<long>(type: "bigint", nullable: false),
                    FirstName = table.Column<string>(type: "text", nullable: true),
                    LanguageCode = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Step = table.Column<int>(type: "integer", nullable: false),
                    FaceBlobKey = table.Column<string>(type: "text", nullable: true),
                    FaceFileId = table.Column<string>(type: "text", nullable: true),
                    LastTargetBlobKey = table.Column<string>(type: "text", nullable: true),
                    MediaGroupId = table.Column<string>(type: "text", nullable: true),
                    UnreachableSince = table.Column<long>(type: "bigint", nullable: true),
                    TermsVersion = table.Column<string>(type: "text", nullable: true),
                    TermsAcceptedAt = table.Column<long>(type: "bigint", nullable: true),
                    BannedAt = table.Column<long>(type: "bigint", nullable: true),
                    BanReason = table.Column<string>(type: "text", nullable: true),
                    BanNoticeSentAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_credit_ledger_Reference",
                table: "credit_ledger",
                column: "Reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_credit_ledger_UserId",
                table: "credit_ledger",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_inbox_updates_Status_ChatId_UpdateId",
                table: "inbox_updates",
                columns: new[] { "Status", "ChatId", "UpdateId" });

            migrationBuilder.CreateIndex(
                name: "IX_inbox_updates_Status_ReceivedAt",
                table: "inbox_updates",
                columns: new[] { "Status", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_Status",
                table: "jobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_UserId_CreatedAt",
                table: "jobs",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_moderation_log_Reference",
                table: "moderation_log",
                column: "Reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_moderation_log_UserId_CreatedAt",
                table: "moderation_log",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_DispatchedAt",
                table: "outbox",
                column: "DispatchedAt");

            migrationBuilder.CreateIndex(
                name: "IX_payments_PaymentIntentId",
                table: "payments",
                column: "PaymentIntentId");

            migrationBuilder.CreateIndex(
                name: "IX_payments_Provider_ExternalId",
                table: "payments",
                columns: new[] { "Provider", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_payments_UserId_CreatedAt",
                table: "payments",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_saved_faces_UserId_Name",
                table: "saved_faces",
                columns: new[] { "UserId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_uptime_samples_Component_SampledAt",
                table: "uptime_samples",
                columns: new[] { "Component", "SampledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_uptime_samples_SampledAt",
                table: "uptime_samples",
                column: "SampledAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "credit_ledger");

            migrationBuilder.DropTable(
                name: "inbox_updates");

            migrationBuilder.DropTable(
                name: "jobs");

            migrationBuilder.DropTable(
                name: "moderation_log");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "payments");

            migrationBuilder.DropTable(
                name: "saved_faces");

            migrationBuilder.DropTable(
                name: "uptime_samples");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
