namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>Python's <c>CountedObject</c>: an object sent through <c>map</c> whose lifetime the test watches (here with a weak reference).</summary>
public sealed record CountedObject(int Id);
