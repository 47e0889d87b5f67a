// Azure Database for PostgreSQL Flexible Server for the bot API (deployed by main.bicep only when
// databaseProvider == 'postgres'). Backups are the service's own: daily snapshots plus WAL, restorable to any
// point within backupRetentionDays. The connection string goes to Key Vault; nothing secret is an output.
@description('Azure region of the server.')
param location string = resourceGroup().location

@description('Tags applied to every resource.')
param tags object = {}

@description('Administrator login (password authentication).')
param administratorLogin string

@secure()
@minLength(12)
@description('Administrator password.')
param administratorPassword string

@description('Compute SKU, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param skuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
@description('Compute tier matching skuName.')
param skuTier string = 'Burstable'

@minValue(32)
@description('Storage in GiB; auto-grow raises it as it fills.')
param storageSizeGB int = 32

@minValue(7)
@maxValue(35)
@description('Days of point-in-time restore (7-35).')
param backupRetentionDays int = 7

@description('Geo-redundant backups (restorable in the paired region). Fixed at creation.')
param geoRedundantBackup bool = false

@description('Zone-redundant high availability (a hot standby in another zone; not available on Burstable).')
param highAvailability bool = false

@allowed([
  'azureServices'
  'none'
])
@description('azureServices: public endpoint whose firewall admits only Azure services (0.0.0.0 rule); none: no rule.')
param networkAccess string = 'azureServices'

@description('Key Vault that receives the connection string as the secret postgres-connection-string.')
param keyVaultName string

@description('Name of the application database.')
param databaseName string = 'faceswap'

var resourceToken = uniqueString(resourceGroup().id)

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: 'psql-${resourceToken}'
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: geoRedundantBackup ? 'Enabled' : 'Disabled'
    }
    highAvailability: {
      mode: highAvailability ? 'ZoneRedundant' : 'Disabled'
    }
    network: {
      publicNetworkAccess: networkAccess == 'azureServices' ? 'Enabled' : 'Disabled'
    }
  }
}

// TLS only, 1.2 or newer.
resource requireSecureTransport 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

resource minimumTlsVersion 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'ssl_min_protocol_version'
  properties: {
    value: 'TLSv1.2'
    source: 'user-override'
  }
  dependsOn: [
    requireSecureTransport // the service applies one configuration change at a time
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    minimumTlsVersion
  ]
}

// The special 0.0.0.0 rule admits connections from Azure services (the Container Apps environment's
// outbound addresses are not fixed on the Consumption plan), not from the internet at large.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (networkAccess == 'azureServices') {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// Npgsql format; the bot API reads it as ConnectionStrings__faceswapdb through a Key Vault reference.
resource connectionStringSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'postgres-connection-string'
  properties: {
    value: 'Host=${server.properties.fullyQualifiedDomainName};Database=${database.name};Username=${administratorLogin};Password=${administratorPassword};SSL Mode=VerifyFull'
    contentType: 'text/plain'
  }
}

output serverName string = server.name
output serverFqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
output connectionStringSecretUri string = connectionStringSecret.properties.secretUri
