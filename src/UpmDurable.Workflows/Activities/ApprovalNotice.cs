using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Json;
using UpmDurable.Core.Signing;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>What an approval-needed notice says. Append-only contract.</summary>
public sealed record ApprovalNotice(string ChangeId, string Tenant, string Initiator, string Request, string PlanHash, int Required, List<string> Groups, DateTimeOffset Deadline, int? RiskScore);
