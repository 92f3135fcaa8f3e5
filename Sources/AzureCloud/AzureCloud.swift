// Azure Monitor; see AzureJob.swift.
