using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FaceSwap.BotApi.Data.Migrations
{
    /// <inheritdoc />
    public partial class Operations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "uptime_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Component = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SampledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_uptime_samples", x => x.Id);
                });

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
                name: "uptime_samples");
        }
    }
}
