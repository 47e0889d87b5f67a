using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FaceSwap.BotApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class StripeRefunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AmountRefunded",
                table: "payments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "DisputeNotifiedAt",
                table: "payments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DisputedAt",
                table: "payments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PaymentIntentId",
                table: "payments",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RefundNotifiedAmount",
                table: "payments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_payments_PaymentIntentId",
                table: "payments",
                column: "PaymentIntentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_payments_PaymentIntentId",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "AmountRefunded",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "DisputeNotifiedAt",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "DisputedAt",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "PaymentIntentId",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "RefundNotifiedAmount",
                table: "payments");
        }
    }
}
