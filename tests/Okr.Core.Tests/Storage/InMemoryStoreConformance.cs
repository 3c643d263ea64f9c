using Okr.Core.Storage;
using Okr.Storage.Specification;

namespace Okr.Core.Tests.Storage;

/// <summary>The in-memory store passes the whole conformance kit.</summary>
public class InMemoryStoreConformance : OkrStoreSpecification
{
    protected override ValueTask<IOkrStore> CreateStoreAsync() => ValueTask.FromResult<IOkrStore>(new InMemoryOkrStore());
}
