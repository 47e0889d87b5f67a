using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FaceSwap.BotApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class InboxRetentionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_inbox_updates_Status_ReceivedAt",
                table: "inbox_updates",
                columns: new[] { "Status", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_inbox_updates_Status_ReceivedAt",
                table: "inbox_updates");
        }
    }
}
