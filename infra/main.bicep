// The infrastructure azd provisions for FaceSwap, in the layout `azd infra gen` writes for an Aspire app
// (main.bicep at subscription scope + resources.bicep in the resource group), plus an optional managed
// PostgreSQL server (postgres.bicep). The container apps themselves still come from the AppHost's manifest at
// `azd deploy`. Operations guide: docs/operations/deploy.md ("PostgreSQL infrastructure").
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; the resource group is rg-<environmentName>.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('Object id of the user or service principal running azd (AZURE_PRINCIPAL_ID); gets access to the Key Vault secrets.')
param principalId string = ''

@description('The bot API\'s database: sqlite (default, a file on an Azure Files share) or postgres (a managed Flexible Server).')
@allowed([
  'sqlite'
  'postgres'
])
param databaseProvider string = 'sqlite'

@description('PostgreSQL administrator login (password authentication). Used only when databaseProvider is postgres.')
param postgresAdministratorLogin string = 'faceswapadmin'

@secure()
@description('PostgreSQL administrator password (AZURE_POSTGRES_ADMIN_PASSWORD). Required when databaseProvider is postgres.')
param postgresAdministratorPassword string = ''

@description('PostgreSQL compute SKU; Burstable B1ms is the smallest (1 vCore, 2 GiB).')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL compute tier matching postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@minValue(32)
@description('PostgreSQL storage in GiB; auto-grow raises it when it fills.')
param postgresStorageSizeGB int = 32

@minValue(7)
@maxValue(35)
@description('Days of point-in-time restore the server keeps (7-35).')
param postgresBackupRetentionDays int = 7

@description('Also copy backups to the paired region (geo-restore). Cannot be changed after the server is created.')
param postgresGeoRedundantBackup bool = false

@description('Zone-redundant high availability (a standby in another zone; not offered on Burstable). Off by default.')
param postgresHighAvailability bool = false

@description('Network access to PostgreSQL: azureServices (public endpoint, firewall allows Azure services only) or none (no firewall rule; add private networking by hand).')
@allowed([
  'azureServices'
  'none'
])
param postgresNetworkAccess string = 'azureServices'

var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  scope: rg
  name: 'resources'
  params: {
    location: location
    tags: tags
    principalId: principalId
  }
}

module postgres 'postgres.bicep' = if (databaseProvider == 'postgres') {
  scope: rg
  name: 'postgres'
  params: {
    location: location
    tags: tags
    administratorLogin: postgresAdministratorLogin
    administratorPassword: postgresAdministratorPassword
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: postgresBackupRetentionDays
    geoRedundantBackup: postgresGeoRedundantBackup
    highAvailability: postgresHighAvailability
    networkAccess: postgresNetworkAccess
    keyVaultName: resources.outputs.AZURE_KEY_VAULT_NAME
  }
}

// The outputs azd reads to deploy the container apps (names as `azd infra gen` writes them).
output MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.MANAGED_IDENTITY_CLIENT_ID
output MANAGED_IDENTITY_NAME string = resources.outputs.MANAGED_IDENTITY_NAME
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = resources.outputs.AZURE_LOG_ANALYTICS_WORKSPACE_NAME
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = resources.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT
output AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID string = resources.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID
output AZURE_CONTAINER_REGISTRY_NAME string = resources.outputs.AZURE_CONTAINER_REGISTRY_NAME
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = resources.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_NAME
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = resources.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID
output AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN string = resources.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN
output AZURE_KEY_VAULT_NAME string = resources.outputs.AZURE_KEY_VAULT_NAME
output AZURE_KEY_VAULT_ENDPOINT string = resources.outputs.AZURE_KEY_VAULT_ENDPOINT
// Where the connection string is, never the connection string itself.
output POSTGRES_CONNECTION_STRING_SECRET_URI string = databaseProvider == 'postgres' ? postgres!.outputs.connectionStringSecretUri : ''
output POSTGRES_SERVER_FQDN string = databaseProvider == 'postgres' ? postgres!.outputs.serverFqdn : ''
