using System.Reflection;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Okr.Storage.Specification;

/// <summary>
/// A kit test. It runs like <see cref="FactAttribute"/>, except that a store's test class may declare
/// <c>public static string? StoreSkipReason { get; }</c>: when that returns a reason (for example "no
/// PostgreSQL server configured"), every kit test of the class is reported as skipped with it.
/// </summary>
[XunitTestCaseDiscoverer("Okr.Storage.Specification.StoreFactDiscoverer", "Okr.Storage.Specification")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class StoreFactAttribute : FactAttribute
{
}

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests as <see cref="StoreTestCase"/>s.</summary>
/// <param name="diagnosticMessageSink">Where diagnostics go.</param>
internal sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc/>
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A kit test case whose skip reason may come from the store's test class.</summary>
internal sealed class StoreTestCase : XunitTestCase
{
    /// <summary>For the test runner's deserialisation only.</summary>
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    /// <summary>Creates the test case.</summary>
    /// <param name="diagnosticMessageSink">Where diagnostics go.</param>
    /// <param name="defaultMethodDisplay">How methods are displayed.</param>
    /// <param name="defaultMethodDisplayOptions">Display options.</param>
    /// <param name="testMethod">The test method.</param>
    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    /// <inheritdoc/>
    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        var fromAttribute = base.GetSkipReason(factAttribute);
        if (fromAttribute is not null)
        {
            return fromAttribute;
        }

        var property = TestMethod.TestClass.Class.ToRuntimeType()?.GetProperty("StoreSkipReason", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy);
        return property?.GetValue(null) as string ?? null!;
    }
}
