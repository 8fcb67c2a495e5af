using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager.Models;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;

namespace UpmDurable.Providers.Azure;

/// <summary>A step the azure provider refuses before calling ARM (unsupported type, missing setting).</summary>
public sealed class ArmStepRefusedException(string message) : Exception(message);
